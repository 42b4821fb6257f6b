import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

interface FieldOptions {
  description: string;
  example: unknown;
  optional?: boolean;
}

const SINGLE_LINE = /^[^\p{Cc}]*$/u;
const NOT_BLANK = /\S/;

/**
 * A property that may be left out. Unlike class-validator's IsOptional, `null` is only skipped
 * when `nullable`: otherwise it is checked like any value and refused ("must be a string").
 */
export function Optional(options: { nullable?: boolean } = {}): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && !(options.nullable && value === null));
}

function documented(options: FieldOptions & { nullable?: boolean }, schema: Record<string, unknown>): PropertyDecorator {
  const api = options.optional ? ApiPropertyOptional : ApiProperty;
  return applyDecorators(
    api({ description: options.description, example: options.example, ...schema }),
    ...(options.optional ? [Optional({ nullable: options.nullable })] : options.nullable ? [ValidateIf((_object, value) => value !== null)] : []),
  );
}

/** A number within [min, max], documented with its bounds. */
export function NumberField(options: FieldOptions & { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: Number, minimum: options.min, maximum: options.max }),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' }),
    Min(options.min, { message: `$property must be at least ${options.min}` }),
    Max(options.max, { message: `$property must be at most ${options.max}` }),
  );
}

/** A whole number within [min, max]. */
export function IntegerField(options: FieldOptions & { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: 'integer', minimum: options.min, maximum: options.max }),
    IsInt({ message: '$property must be a whole number' }),
    Min(options.min, { message: `$property must be at least ${options.min}` }),
    Max(options.max, { message: `$property must be at most ${options.max}` }),
  );
}

/**
 * Text up to maxLength characters. `line` (default true) refuses control characters and blank
 * values and trims the ends; `nullable` accepts null (to clear an optional text).
 */
export function TextField(
  options: FieldOptions & { maxLength: number; minLength?: number; line?: boolean; nullable?: boolean },
): PropertyDecorator {
  const line = options.line ?? true;
  return applyDecorators(
    documented(options, { type: String, maxLength: options.maxLength, nullable: options.nullable }),
    ...(line ? [Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))] : []),
    IsString({ message: '$property must be a string' }),
    MaxLength(options.maxLength, { message: `$property must be at most ${options.maxLength} characters` }),
    ...(options.minLength ? [MinLength(options.minLength, { message: `$property must be at least ${options.minLength} characters` })] : []),
    ...(line
      ? [
          Matches(SINGLE_LINE, { message: '$property must not contain control characters (such as line breaks)' }),
          Matches(NOT_BLANK, { message: '$property must not be blank' }),
        ]
      : []),
  );
}

/** An optional whole number from the query string (where every value arrives as text). */
export function QueryIntegerField(options: { description: string; example: number; min: number; max?: number; default?: number }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: options.description, example: options.example, default: options.default, minimum: options.min, maximum: options.max, type: 'integer' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: '$property must be a whole number' }),
    Min(options.min, { message: `$property must be at least ${options.min}` }),
    ...(options.max === undefined ? [] : [Max(options.max, { message: `$property must be at most ${options.max}` })]),
  );
}

/** An optional `true` or `false` from the query string; anything else is refused. */
export function QueryFlagField(options: { description: string }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: options.description, type: 'boolean', default: false }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** A one-row domain's answer: which of its fields the profile takes from its parent. */
export const INHERITED_FIELDS: ApiPropertyOptions = {
  type: [String],
  example: ['llm_endpoint'],
  description:
    "The fields this profile takes from its parent profile (inheritance); the others are its own. Empty for a profile without a parent. A PUT of a value equal to the parent's makes a field inherited, any other value an override.",
};
