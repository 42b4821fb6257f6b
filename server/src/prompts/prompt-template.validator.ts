/**
 * Validation and rendering of the agent's prompt templates. Pure functions, no Nest: the prompts
 * service validates before it saves, `POST /api/config/prompts/validate` returns the result as is,
 * and the agent renders the user template with `renderTemplate`.
 *
 * Placeholders follow Python's `str.format` (the original agent was Python): `{name}` is a
 * placeholder, `{{` and `}}` are literal braces. Only plain names are allowed — no `{0}`, `{}`,
 * `{a.b}`, `{a[0]}`, `{a!r}` or `{a:spec}` — so a stray JSON or CSS snippet is reported instead of
 * failing at run time.
 *
 * Positions are what JavaScript strings count: `offset` and `length` in UTF-16 code units (as the
 * editor's `model.getPositionAt(offset)` expects), `line` and `column` 1-based, lines split on `\n`
 * (a `\r` of a `\r\n` ends the previous line and never shifts the next line's columns).
 */

export type PromptField = 'system_prompt' | 'slide_editing_instructions' | 'user_prompt_template';

export const PROMPT_FIELDS: readonly PromptField[] = Object.freeze([
  'system_prompt',
  'slide_editing_instructions',
  'user_prompt_template',
] as const);

export const KNOWN_PLACEHOLDERS: readonly string[] = Object.freeze(['question', 'max_slides'] as const);

/** Longest accepted field, in UTF-16 code units (never more code points than the database's limit). */
export const PROMPT_MAX_LENGTH = 200_000;
/** Longer fields are accepted with a warning: they are sent, and paid for, on every call. */
export const PROMPT_WARN_LENGTH = 50_000;
/** At most this many brace/placeholder issues are listed per field; the rest are summarised. */
export const PROMPT_MAX_LISTED_ISSUES = 100;

/** Every `code` a `PromptIssue` can carry (for the OpenAPI enum and the console's messages). */
export const PROMPT_ISSUE_CODES = Object.freeze([
  'empty',
  'too_long',
  'long_prompt',
  'missing_placeholder',
  'unknown_placeholder',
  'invalid_placeholder',
  'unbalanced_brace',
  'placeholder_in_system_prompt',
  'too_many_issues',
] as const);
export type PromptIssueCode = (typeof PROMPT_ISSUE_CODES)[number];

export interface PromptIssue {
  field: PromptField;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
}

export interface PromptValidation {
  valid: boolean;
  errors: PromptIssue[];
  warnings: PromptIssue[];
  placeholders: Record<PromptField, string[]>;
}

/** Thrown by `renderTemplate` for a template that `validatePrompts` would reject. */
export class PromptTemplateError extends Error {
  override readonly name = 'PromptTemplateError';

  constructor(
    message: string,
    readonly code: PromptIssueCode,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The placeholders every user prompt template must contain, and why. */
const REQUIRED_IN_USER_TEMPLATE: readonly { name: string; why: string }[] = [
  { name: 'question', why: "it is where the agent inserts the user's question" },
  { name: 'max_slides', why: 'it tells the model how many slides it may produce' },
];

const FIELD_LABELS: Record<PromptField, { label: string; is: string; has: string }> = {
  system_prompt: { label: 'The system prompt', is: 'is', has: 'has' },
  slide_editing_instructions: { label: 'The slide editing instructions', is: 'are', has: 'have' },
  user_prompt_template: { label: 'The user prompt template', is: 'is', has: 'has' },
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

// ---------------------------------------------------------------------------------------------
// Scanner: one left-to-right pass, pairing braces the way str.format does.
// ---------------------------------------------------------------------------------------------

type BraceProblemCode = 'unbalanced_brace' | 'invalid_placeholder';

interface TemplateVisitor {
  /** Literal text `template.slice(start, end)`, braces excluded. */
  text?(start: number, end: number): void;
  /** `{{` or `}}` at `offset`, standing for one literal brace. */
  escape?(offset: number, brace: '{' | '}'): void;
  /** `{name}` at `offset`, `length` code units long (name matches IDENTIFIER). */
  placeholder?(name: string, offset: number, length: number): void;
  /** A brace that is neither an escape nor part of a valid placeholder. */
  problem?(code: BraceProblemCode, offset: number, length: number, content: string): void;
}

/**
 * Walks `template` once. Each character is read at most twice (the look-ahead for a closing brace
 * resumes where it stopped), so the cost is linear in the length of the text.
 */
function scanTemplate(template: string, visitor: TemplateVisitor): void {
  const end = template.length;
  let i = 0;
  let textStart = 0;
  while (i < end) {
    const c = template.charCodeAt(i);
    if (c !== OPEN && c !== CLOSE) {
      i++;
      continue;
    }
    if (textStart < i) visitor.text?.(textStart, i);

    if (c === CLOSE) {
      if (template.charCodeAt(i + 1) === CLOSE) {
        visitor.escape?.(i, '}');
        i += 2;
      } else {
        visitor.problem?.('unbalanced_brace', i, 1, '}');
        i += 1;
      }
      textStart = i;
      continue;
    }

    if (template.charCodeAt(i + 1) === OPEN) {
      visitor.escape?.(i, '{');
      i += 2;
      textStart = i;
      continue;
    }

    // An opening brace: it is closed by the next brace only if that brace is a `}`.
    let j = i + 1;
    while (j < end) {
      const d = template.charCodeAt(j);
      if (d === OPEN || d === CLOSE) break;
      j++;
    }
    if (j === end || template.charCodeAt(j) === OPEN) {
      visitor.problem?.('unbalanced_brace', i, 1, '{');
      i = j; // resume at the next `{` (or the end): it gets its own verdict
    } else {
      const content = template.slice(i + 1, j);
      if (IDENTIFIER.test(content)) visitor.placeholder?.(content, i, j - i + 1);
      else visitor.problem?.('invalid_placeholder', i, j - i + 1, content);
      i = j + 1;
    }
    textStart = i;
  }
  if (textStart < end) visitor.text?.(textStart, end);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

type Finding = Omit<PromptIssue, 'field' | 'line' | 'column'>;

/** Validates the given fields only (a partial update validates what it changes). */
export function validatePrompts(prompts: Partial<Record<PromptField, string>>): PromptValidation {
  const errors: PromptIssue[] = [];
  const warnings: PromptIssue[] = [];
  const placeholders: Record<PromptField, string[]> = {
    system_prompt: [],
    slide_editing_instructions: [],
    user_prompt_template: [],
  };

  for (const field of PROMPT_FIELDS) {
    const text = prompts[field];
    if (text === undefined) continue;
    const found = validateField(field, text);
    placeholders[field] = found.placeholders;
    for (const issue of locate(field, text, found.findings)) {
      (issue.severity === 'error' ? errors : warnings).push(issue);
    }
  }

  return { valid: errors.length === 0, errors, warnings, placeholders };
}

function validateField(field: PromptField, text: string): { findings: Finding[]; placeholders: string[] } {
  const { label, is, has } = FIELD_LABELS[field];
  const findings: Finding[] = [];
  const names = new Set<string>();

  // Brace and placeholder issues can be as many as the text has braces: list the first ones only.
  const listed: Finding[] = [];
  let unlisted = 0;
  let firstUnlisted: Finding | undefined;
  let unlistedErrors = 0;
  const report = (finding: Finding): void => {
    if (listed.length < PROMPT_MAX_LISTED_ISSUES) {
      listed.push(finding);
      return;
    }
    unlisted++;
    firstUnlisted ??= finding;
    if (finding.severity === 'error') unlistedErrors++;
  };

  scanTemplate(text, {
    placeholder(name, offset, length) {
      names.add(name);
      if (!KNOWN_PLACEHOLDERS.includes(name)) {
        report({
          severity: 'error',
          code: 'unknown_placeholder',
          message:
            `{${name}} is not a known placeholder; the known placeholders are ${knownList()}. ` +
            `To write the braces literally, double them: {{${name}}}.`,
          offset,
          length,
        });
      } else if (name === 'question' && field === 'system_prompt') {
        report({
          severity: 'warning',
          code: 'placeholder_in_system_prompt',
          message:
            'The system prompt contains {question}; the question is usually sent in the user template, ' +
            'so check that you want it here as well.',
          offset,
          length,
        });
      }
    },
    problem(code, offset, length, content) {
      report({ severity: 'error', code, message: braceProblemMessage(code, content), offset, length });
    },
  });

  findings.push(...listed);
  if (firstUnlisted) {
    findings.push({
      severity: unlistedErrors > 0 ? 'error' : 'warning',
      code: 'too_many_issues',
      message:
        `${label} ${has} ${formatCount(unlisted)} more brace or placeholder ` +
        `${unlisted === 1 ? 'problem' : 'problems'} after this point that ${unlisted === 1 ? 'is' : 'are'} not listed; ` +
        'fix the ones above and validate again.',
      offset: firstUnlisted.offset,
      length: 0,
    });
  }

  const empty = !/\S/.test(text);
  if (empty) {
    findings.push({
      severity: 'error',
      code: 'empty',
      message: `${label} ${is} empty; write the instructions the agent should follow.`,
      offset: 0,
      length: text.length,
    });
  }

  if (text.length > PROMPT_MAX_LENGTH) {
    findings.push({
      severity: 'error',
      code: 'too_long',
      message:
        `${label} ${is} ${formatCount(text.length)} characters long; the limit is ${formatCount(PROMPT_MAX_LENGTH)}. ` +
        `Shorten it by at least ${formatCount(text.length - PROMPT_MAX_LENGTH)} characters.`,
      offset: PROMPT_MAX_LENGTH,
      length: text.length - PROMPT_MAX_LENGTH,
    });
  } else if (text.length > PROMPT_WARN_LENGTH) {
    findings.push({
      severity: 'warning',
      code: 'long_prompt',
      message:
        `${label} ${is} ${formatCount(text.length)} characters long; ${is === 'are' ? 'they are' : 'it is'} sent with every request, which adds ` +
        `cost and latency to every call. Consider keeping it under ${formatCount(PROMPT_WARN_LENGTH)} characters.`,
      offset: PROMPT_WARN_LENGTH,
      length: text.length - PROMPT_WARN_LENGTH,
    });
  }

  // An empty template gets one clear error, not three.
  if (field === 'user_prompt_template' && !empty) {
    for (const { name, why } of REQUIRED_IN_USER_TEMPLATE) {
      if (names.has(name)) continue;
      findings.push({
        severity: 'error',
        code: 'missing_placeholder',
        message: `${label} must contain {${name}}: ${why}.`,
        offset: text.length,
        length: 0,
      });
    }
  }

  // Stable: issues at the same offset keep the order above.
  findings.sort((a, b) => a.offset - b.offset);
  return { findings, placeholders: [...names] };
}

function braceProblemMessage(code: BraceProblemCode, content: string): string {
  if (code === 'unbalanced_brace') {
    return content === '{'
      ? 'This { is never closed. A placeholder is a name in braces, like {question}; write {{ for a literal brace.'
      : 'This } has no matching {. Write }} for a literal brace.';
  }
  const trimmed = content.trim();
  if (trimmed !== content && IDENTIFIER.test(trimmed)) {
    return (
      `{${content}} is not a valid placeholder: remove the spaces inside the braces ({${trimmed}}). ` +
      'To write literal braces, write {{ and }}.'
    );
  }
  return (
    `${quoteSnippet(content)} is not a valid placeholder: a placeholder is a name in braces, like {question}. ` +
    'To write literal braces, write {{ and }}.'
  );
}

/** `{content}` for a message: on one line, and cut short when long. */
function quoteSnippet(content: string): string {
  const oneLine = content.replace(/\s+/g, ' ');
  const limit = 40;
  return oneLine.length <= limit ? `{${oneLine}}` : `{${oneLine.slice(0, limit)}…}`;
}

function knownList(): string {
  const quoted = KNOWN_PLACEHOLDERS.map((name) => `{${name}}`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Adds the field and 1-based line/column to each finding (offsets sorted ascending). */
function locate(field: PromptField, text: string, findings: Finding[]): PromptIssue[] {
  return position(text, findings).map((finding) => ({ field, ...finding }));
}

/** Adds the 1-based line/column to each finding (offsets sorted ascending). */
function position(text: string, findings: Finding[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  for (const finding of findings) {
    while (nextNewline !== -1 && nextNewline < finding.offset) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    issues.push({ ...finding, line, column: finding.offset - lineStart + 1 });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Templates of the prompt registry: placeholders are the prompt's declared variables
// ---------------------------------------------------------------------------------------------

/** An issue of a registry template: a PromptIssue without the built-in prompts' field. */
export type TemplateIssue = Omit<PromptIssue, 'field'>;

/**
 * Checks a registry template against the prompt's declared variables: brace problems and
 * placeholders that name no declared variable are errors (with their position); a required
 * variable the template never uses is a warning.
 */
export function checkDeclaredTemplate(text: string, variables: readonly { name: string; required: boolean }[]): { errors: TemplateIssue[]; warnings: TemplateIssue[] } {
  const declared = new Set(variables.map((variable) => variable.name));
  const used = new Set<string>();
  const findings: Finding[] = [];
  scanTemplate(text, {
    placeholder(name, offset, length) {
      used.add(name);
      if (declared.has(name) || findings.length >= PROMPT_MAX_LISTED_ISSUES) return;
      findings.push({
        severity: 'error',
        code: 'unknown_placeholder',
        message: `{${name}} is not a declared variable of this prompt; declare it, or double the braces to write them literally: {{${name}}}.`,
        offset,
        length,
      });
    },
    problem(code, offset, length, content) {
      if (findings.length < PROMPT_MAX_LISTED_ISSUES) findings.push({ severity: 'error', code, message: braceProblemMessage(code, content), offset, length });
    },
  });
  for (const { name, required } of variables) {
    if (required && !used.has(name)) {
      findings.push({ severity: 'warning', code: 'missing_placeholder', message: `The required variable ${name} is never used: the template has no {${name}}.`, offset: text.length, length: 0 });
    }
  }
  findings.sort((a, b) => a.offset - b.offset);
  const issues = position(text, findings);
  return { errors: issues.filter((issue) => issue.severity === 'error'), warnings: issues.filter((issue) => issue.severity === 'warning') };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/**
 * Fills the placeholders (by default {question}/{max_slides}; a registry prompt passes its declared
 * variables) and unescapes {{ }}; throws on an unknown placeholder or one without a value.
 */
export function renderTemplate(template: string, values: Record<string, string | number>, known: readonly string[] = KNOWN_PLACEHOLDERS): string {
  const parts: string[] = [];
  scanTemplate(template, {
    text(start, end) {
      parts.push(template.slice(start, end));
    },
    escape(_offset, brace) {
      parts.push(brace);
    },
    placeholder(name, offset) {
      if (!known.includes(name)) {
        throw new PromptTemplateError(
          `Unknown placeholder {${name}} at offset ${offset}; the known placeholders are ${known === KNOWN_PLACEHOLDERS ? knownList() : known.map((n) => `{${n}}`).join(', ')}.`,
          'unknown_placeholder',
          offset,
        );
      }
      if (!Object.hasOwn(values, name)) {
        throw new PromptTemplateError(
          `No value given for placeholder {${name}} at offset ${offset}.`,
          'missing_placeholder',
          offset,
        );
      }
      parts.push(String(values[name]));
    },
    problem(code, offset, _length, content) {
      throw new PromptTemplateError(`${braceProblemMessage(code, content)} (offset ${offset})`, code, offset);
    },
  });
  return parts.join('');
}
