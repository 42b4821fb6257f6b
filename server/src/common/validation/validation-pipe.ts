import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadRequestError, type FieldError, UnprocessableError } from '../errors/domain-errors.js';

/**
 * Constraints about the shape of a request: failing one makes it malformed (400). Any other
 * failed rule is about a value (range, length, format) and answers 422.
 */
const SHAPE_CONSTRAINTS = new Set([
  'whitelistValidation',
  'isDefined',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isObject',
  'isArray',
  'isUuid',
  'nestedValidation',
]);

/**
 * Marks a DTO that its route validates itself (see `validatedOnce`), so the global pipe passes it
 * through untouched: the hot read path of agents should not run class-validator on every request.
 */
export const VALIDATED_BY_ROUTE = Symbol('switchboard.validated-by-route');

class SwitchboardValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly skipRouteValidated: boolean,
  ) {
    super(options);
  }

  protected override toValidate(metadata: ArgumentMetadata): boolean {
    if (this.skipRouteValidated && (metadata.metatype as { [VALIDATED_BY_ROUTE]?: boolean } | undefined)?.[VALIDATED_BY_ROUTE]) return false;
    return super.toValidate(metadata);
  }
}

/**
 * A validator of one query DTO that checks each distinct query (its parameters as sent) once and
 * remembers the outcome, DTO or refusal, for the next requests (at most 1000 distinct queries).
 * Same rules and messages as the global pipe. For DTOs marked VALIDATED_BY_ROUTE.
 */
export function validatedOnce<T>(dto: new () => T): (raw: Record<string, unknown>) => Promise<T> {
  const pipe = createValidationPipe(false);
  const outcomes = new Map<string, Promise<T>>();
  return (raw) => {
    const key = JSON.stringify(raw);
    let outcome = outcomes.get(key);
    if (!outcome) {
      outcome = pipe.transform(raw, { type: 'query', metatype: dto }) as Promise<T>;
      if (outcomes.size < 1000) outcomes.set(key, outcome);
    }
    return outcome;
  };
}

/** Unknown properties are refused (not silently dropped); every failing field is listed. */
export function createValidationPipe(skipRouteValidated = true): ValidationPipe {
  return new SwitchboardValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return fieldErrors.some((error) => SHAPE_CONSTRAINTS.has(error.constraint))
        ? new BadRequestError('The request is malformed.', fieldErrors.map(stripConstraint))
        : new UnprocessableError('Some values are not acceptable.', fieldErrors.map(stripConstraint));
    },
  }, skipRouteValidated);
}

interface ConstraintError extends FieldError {
  constraint: string;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): ConstraintError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      // class-validator's own wording ("property x should not exist") reads like the code, not like an answer.
      message: constraint === 'whitelistValidation' ? `${error.property} is not a field this request accepts` : message,
      constraint,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function stripConstraint({ field, message }: ConstraintError): FieldError {
  return { field, message };
}
