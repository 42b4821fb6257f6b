import { hasConflictMarks } from '../../../shared/line-merge';
import { ValidatorFn } from '@angular/forms';

/**
 * The prompt rules of server/src/prompts/prompt-template.validator.ts, on the client: enough to
 * mark a form invalid while typing. The server's POST /api/config/prompts/validate remains the
 * judge and supplies the exact positions shown as editor markers.
 */

export type SbPromptField = 'system_prompt' | 'slide_editing_instructions' | 'user_prompt_template';

export const PROMPT_MAX_LENGTH = 200_000;
export const PROMPT_WARN_LENGTH = 50_000;
export const KNOWN_PLACEHOLDERS = ['question', 'max_slides'] as const;
export const REQUIRED_IN_USER_TEMPLATE = ['question', 'max_slides'] as const;

export interface SbPromptRuleError {
  code: 'empty' | 'too_long' | 'missing_placeholder' | 'unknown_placeholder' | 'invalid_placeholder' | 'unbalanced_brace' | 'merge_conflict';
  message: string;
}

/** The placeholders found (`{name}`), and brace problems, scanned as Python's str.format pairs them. */
export function scanPlaceholders(text: string): { names: string[]; problems: SbPromptRuleError[] } {
  const names: string[] = [];
  const problems: SbPromptRuleError[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '}') {
      if (text[i + 1] === '}') i += 2;
      else {
        problems.push({ code: 'unbalanced_brace', message: 'A lone } has no opening brace; write }} for a literal brace.' });
        i += 1;
      }
      continue;
    }
    if (c !== '{') {
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      i += 2;
      continue;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== '{' && text[j] !== '}') j++;
    if (j === text.length || text[j] === '{') {
      problems.push({ code: 'unbalanced_brace', message: 'A { is never closed; write {{ for a literal brace.' });
      i = j;
      continue;
    }
    const content = text.slice(i + 1, j);
    if (/^[a-z_][a-z0-9_]*$/i.test(content)) names.push(content);
    else problems.push({ code: 'invalid_placeholder', message: `{${content}} is not a placeholder; write {{ and }} for literal braces.` });
    i = j + 1;
  }
  return { names, problems };
}

/** The errors (not warnings) the server would report for `text` in `field`. */
export function promptErrors(field: SbPromptField, text: string): SbPromptRuleError[] {
  const errors: SbPromptRuleError[] = [];
  const empty = !/\S/.test(text);
  if (empty) errors.push({ code: 'empty', message: 'It is empty; write the instructions the agent should follow.' });
  if (text.length > PROMPT_MAX_LENGTH) {
    errors.push({ code: 'too_long', message: `It is ${text.length.toLocaleString('en')} characters long; the limit is 200,000.` });
  }
  const { names, problems } = scanPlaceholders(text);
  for (const name of names) {
    if (!(KNOWN_PLACEHOLDERS as readonly string[]).includes(name)) {
      errors.push({ code: 'unknown_placeholder', message: `{${name}} is not a known placeholder; the known ones are {question} and {max_slides}.` });
    }
  }
  errors.push(...problems);
  // The console's own rule (the server would store them): a merge left places to settle.
  if (hasConflictMarks(text)) errors.push({ code: 'merge_conflict', message: 'A merge left places marked <<<<<<< … >>>>>>>: keep one version of each, then save.' });
  if (field === 'user_prompt_template' && !empty) {
    for (const name of REQUIRED_IN_USER_TEMPLATE) {
      if (!names.includes(name)) errors.push({ code: 'missing_placeholder', message: `The user template must contain {${name}}.` });
    }
  }
  return errors;
}

/** A form validator: `{ prompt: "first message" }` while the text breaks a rule. */
export function promptValidator(field: SbPromptField): ValidatorFn {
  return (control) => {
    const errors = promptErrors(field, typeof control.value === 'string' ? control.value : '');
    return errors.length ? { prompt: errors.map((error) => error.message).join(' ') } : null;
  };
}
