import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { INHERITED_FIELDS } from '../../common/validation/fields.js';
import { Matches } from 'class-validator';
import { TextField } from '../../common/validation/fields.js';

/** A plain name ("slides"), or an absolute workspace path without empty, "." or ".." segments. */
export const EXPERIMENT_NAME = /^(?:[^/]+|(?:\/[^/]+)+)$/;
const DOT_SEGMENT = /^(?!(?:.*\/)?\.{1,2}(?:\/|$))/;

function ExperimentNameField(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    TextField({
      description: 'MLflow experiment: an absolute workspace path or a plain name; {username} is filled in at run time',
      example: '/Workspace/Users/{username}/ai-slide-generator',
      maxLength: 255,
      optional: options.optional,
    }),
    Matches(EXPERIMENT_NAME, { message: 'experiment_name must be a plain name or an absolute path like /Workspace/Users/me/exp (no empty segments, no trailing /)' }),
    Matches(DOT_SEGMENT, { message: 'experiment_name must not contain "." or ".." path segments' }),
  );
}

export class UpdateMlflowDto {
  @ExperimentNameField({ optional: true })
  experiment_name?: string;
}

/** The value as a profile document (export, import, restore) carries it; the same rules as PUT. */
export class MlflowValuesDto {
  @ExperimentNameField({ optional: false })
  experiment_name: string;
}

export class MlflowConfigDto {
  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: '/Workspace/Users/{username}/ai-slide-generator' })
  experiment_name: string;

  @ApiProperty(INHERITED_FIELDS)
  inherited: string[];

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  updated_at: string;
}
