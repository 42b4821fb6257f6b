import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_TYPE_PREFIX, PROBLEM_TYPES } from '../errors/problem-details.js';

export class FieldErrorDto {
  @ApiProperty({ example: 'llm_temperature' })
  field: string;

  @ApiProperty({ example: 'llm_temperature must be at most 1' })
  message: string;

  @ApiPropertyOptional({ example: 'unknown_placeholder', description: 'Prompt templates: the kind of problem' })
  code?: string;

  @ApiPropertyOptional({ example: 3, description: 'Prompt templates: 1-based line' })
  line?: number;

  @ApiPropertyOptional({ example: 14, description: 'Prompt templates: 1-based column, in UTF-16 code units' })
  column?: number;

  @ApiPropertyOptional({ example: 120, description: 'Prompt templates: 0-based offset, in UTF-16 code units' })
  offset?: number;

  @ApiPropertyOptional({ example: 6 })
  length?: number;
}

export class ProblemDetailsDto {
  @ApiProperty({
    example: 'urn:switchboard:problem:validation-failed',
    enum: [...Object.keys(PROBLEM_TYPES).map((slug) => `${PROBLEM_TYPE_PREFIX}${slug}`), 'about:blank'],
    description: `What went wrong, stable for clients to branch on: ${Object.entries(PROBLEM_TYPES)
      .map(([slug, meaning]) => `${slug} (${meaning})`)
      .join('; ')}; about:blank for anything else (see the status)`,
  })
  type: string;

  @ApiProperty({ example: 'Unprocessable Entity' })
  title: string;

  @ApiProperty({ example: 422 })
  status: number;

  @ApiProperty({ example: 'Some values are not acceptable.' })
  detail: string;

  @ApiPropertyOptional({ example: '/api/config/ai-infra/1' })
  instance?: string;

  @ApiPropertyOptional({ example: 'b1f0c3de-2a7e-4a57-9a43-8f5e0f1c2d3e' })
  request_id?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: wrong types, unknown properties, unparsable body',
  401: 'No valid token: send Authorization: Bearer <token>',
  403: 'The token is valid but its role does not allow this',
  404: 'No such resource',
  409: 'Conflict with the current state (duplicate name, default or in-use profile)',
  412: 'If-Match names a version that is no longer current',
  413: 'Request body too large',
  415: 'The body is not of a type this operation takes',
  422: 'A value breaks a rule (range, length, placeholders)',
  429: 'Too many writes by this principal; wait for Retry-After seconds',
  502: 'Databricks answered with an error',
  503: 'A dependency is unavailable',
  504: 'Databricks did not answer in time',
};

/** Documents the problem+json responses an operation can return. */
export function ApiProblems(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        ...problemResponse(status),
      }),
    ),
  );
}

/** The OpenAPI response object of a problem+json status. */
export function problemResponse(status: number) {
  return {
    description: DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  };
}
