import { AbstractControl, ValidationErrors, ValidatorFn, Validators } from '@angular/forms';

/**
 * Client-side copies of the server's rules (server/src/common/validation/fields.ts and the DTOs),
 * so most mistakes show while typing; the server remains the judge.
 */

/** `TextField` with line: true — trimmed, not blank, no control characters, at most `max`. */
export function lineText(max: number, required = true): ValidatorFn[] {
  return [...(required ? [Validators.required, notBlank] : []), Validators.maxLength(max), singleLine];
}

export const notBlank: ValidatorFn = (control) =>
  typeof control.value === 'string' && control.value.length > 0 && !/\S/.test(control.value) ? { blank: true } : null;

export const singleLine: ValidatorFn = (control) =>
  typeof control.value === 'string' && /\p{Cc}/u.test(control.value) ? { singleLine: true } : null;

export const integer: ValidatorFn = (control) =>
  control.value === null || control.value === '' || Number.isInteger(Number(control.value)) ? null : { integer: true };

/** A number within [min, max] (NumberField / IntegerField). */
export function numberIn(min: number, max: number, whole = false): ValidatorFn[] {
  return [Validators.required, Validators.min(min), Validators.max(max), ...(whole ? [integer] : [])];
}

/** Databricks Genie space ids: 32 hexadecimal characters (GENIE_SPACE_ID, compared lower-case). */
export const GENIE_SPACE_ID = /^[0-9a-f]{32}$/;
export const genieSpaceId: ValidatorFn = (control) =>
  typeof control.value === 'string' && control.value.trim() && !GENIE_SPACE_ID.test(control.value.trim().toLowerCase())
    ? { format: 'A space id is 32 hexadecimal characters, as Databricks shows it in the space URL.' }
    : null;

/** MLflow experiment: a plain name, or an absolute path without empty, "." or ".." segments. */
const EXPERIMENT_NAME = /^(?:[^/]+|(?:\/[^/]+)+)$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;
export const experimentName: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = typeof control.value === 'string' ? control.value.trim() : '';
  if (!value) return null;
  if (!EXPERIMENT_NAME.test(value)) {
    return { format: 'Use a plain name or an absolute path like /Workspace/Users/me/exp (no empty segments, no trailing /).' };
  }
  if (DOT_SEGMENT.test(value)) return { format: 'The path must not contain "." or ".." segments.' };
  return null;
};

export const PROFILE_NAME_MAX = 100;
export const DESCRIPTION_MAX = 2000;
export const ENDPOINT_MAX = 255;
export const SPACE_NAME_MAX = 255;
export const EXPERIMENT_NAME_MAX = 255;

/** A prompt name of the prompt library, as the server accepts it. */
export const PROMPT_NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,99}$/;
