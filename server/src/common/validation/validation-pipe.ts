import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** Unknown properties are refused (not silently dropped); every failing field is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return fieldErrors.some((error) => SHAPE_CONSTRAINTS.has(error.constraint))
        ? new BadRequestError('The request is malformed.', fieldErrors.map(stripConstraint))
        : new UnprocessableError('Some values are not acceptable.', fieldErrors.map(stripConstraint));
    },
  });
}

interface ConstraintError extends FieldError {
  constraint: string;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): ConstraintError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, message, constraint }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function stripConstraint({ field, message }: ConstraintError): FieldError {
  return { field, message };
}
