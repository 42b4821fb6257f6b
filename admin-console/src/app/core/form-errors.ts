import { AbstractControl, FormGroup, ValidationErrors } from '@angular/forms';

import { SbProblem } from './problem';
import { humanizeFieldMessage } from './problem-wording';

/**
 * Puts a problem's field errors on the form's controls of the same name, or at the same JSON
 * Pointer (`/llm/temperature`, as schema-checked domains report them), as the `server` error,
 * which the templates show in mat-error, and marks them touched so they show at once. Returns
 * whether any field error found its control.
 */
export function applyProblemToForm(form: FormGroup, problem: SbProblem): boolean {
  let applied = false;
  for (const error of problem.fieldErrors) {
    const control = form.get(error.field.startsWith('/') ? pointerPath(error.field) : error.field);
    if (!control) continue;
    control.setErrors({ ...(control.errors ?? {}), server: joinServer(control.errors, error.message) });
    control.markAsTouched();
    control.markAsDirty();
    applied = true;
  }
  return applied;
}

/** A JSON Pointer's tokens, unescaped (RFC 6901). */
export function pointerPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function joinServer(errors: ValidationErrors | null, message: string): string {
  const previous = errors?.['server'];
  return typeof previous === 'string' && previous !== message ? `${previous} ${message}` : message;
}

/** The first message of a control's errors, worded for a person (client rules and server alike). */
export function errorMessage(control: AbstractControl | null, label: string): string {
  const errors = control?.errors;
  if (!errors) return '';
  if (typeof errors['server'] === 'string') return humanizeFieldMessage(errors['server'], () => label);
  if (errors['required']) return `${label} is required.`;
  if (errors['blank']) return `${label} must not be blank.`;
  if (errors['maxlength']) return `${label} must be at most ${errors['maxlength'].requiredLength} characters.`;
  if (errors['min']) return `${label} must be at least ${errors['min'].min}.`;
  if (errors['max']) return `${label} must be at most ${errors['max'].max}.`;
  if (errors['integer']) return `${label} must be a whole number.`;
  if (errors['singleLine']) return `${label} must be one line, without control characters.`;
  if (errors['pattern'] || errors['format']) return String(errors['format'] ?? `${label} has the wrong format.`);
  const first = Object.values(errors)[0];
  return typeof first === 'string' ? first : `${label} is not valid.`;
}

/** A server's field message as a sentence: "that profile inherits from this one" → "That profile inherits from this one." */
export function sentence(message: string): string {
  if (!message) return message;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
