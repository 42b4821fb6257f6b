import {
  DEFAULT_SLIDE_EDITING_INSTRUCTIONS,
  DEFAULT_SYSTEM_PROMPT,
  DEFAULT_USER_PROMPT_TEMPLATE,
} from '../common/defaults/default-prompts.js';
import {
  KNOWN_PLACEHOLDERS,
  PROMPT_FIELDS,
  PROMPT_ISSUE_CODES,
  PROMPT_MAX_LENGTH,
  PROMPT_MAX_LISTED_ISSUES,
  PROMPT_WARN_LENGTH,
  PromptTemplateError,
  renderTemplate,
  validatePrompts,
  type PromptField,
  type PromptIssue,
} from './prompt-template.validator.js';

const VALID_TEMPLATE = 'Question: {question}\nUse at most {max_slides} slides.';

/** Validates one field and returns its issues, errors first. */
function issuesOf(field: PromptField, text: string): PromptIssue[] {
  const result = validatePrompts({ [field]: text });
  return [...result.errors, ...result.warnings];
}

/** The position part of an issue, for exact comparisons. */
function at(issue: PromptIssue): Pick<PromptIssue, 'code' | 'severity' | 'offset' | 'length' | 'line' | 'column'> {
  const { code, severity, offset, length, line, column } = issue;
  return { code, severity, offset, length, line, column };
}

describe('validatePrompts', () => {
  it('accepts the default prompts with no errors and no warnings', () => {
    const result = validatePrompts({
      system_prompt: DEFAULT_SYSTEM_PROMPT,
      slide_editing_instructions: DEFAULT_SLIDE_EDITING_INSTRUCTIONS,
      user_prompt_template: DEFAULT_USER_PROMPT_TEMPLATE,
    });
    expect(result).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      placeholders: { system_prompt: [], slide_editing_instructions: [], user_prompt_template: ['question', 'max_slides'] },
    });
  });

  it('exposes the fields, the known placeholders and the limits', () => {
    expect(PROMPT_FIELDS).toEqual(['system_prompt', 'slide_editing_instructions', 'user_prompt_template']);
    expect(KNOWN_PLACEHOLDERS).toEqual(['question', 'max_slides']);
    expect(PROMPT_MAX_LENGTH).toBe(200_000);
    expect(PROMPT_WARN_LENGTH).toBe(50_000);
  });

  describe('placeholders', () => {
    it('lists distinct names per field in order of first appearance, known and unknown', () => {
      const result = validatePrompts({
        system_prompt: 'Up to {max_slides} slides. {foo} {max_slides} {bar} {foo}',
        user_prompt_template: '{max_slides} {question} {question}',
      });
      expect(result.placeholders).toEqual({
        system_prompt: ['max_slides', 'foo', 'bar'],
        slide_editing_instructions: [],
        user_prompt_template: ['max_slides', 'question'],
      });
    });

    it('allows known placeholders in every field and repeated known placeholders', () => {
      const result = validatePrompts({
        system_prompt: 'At most {max_slides} slides, really {max_slides}.',
        slide_editing_instructions: 'Remember the question: {question}. At most {max_slides} slides.',
        user_prompt_template: '{question}\n{question}\n{max_slides}',
      });
      expect(result).toMatchObject({ valid: true, errors: [], warnings: [] });
    });

    it('treats {{ and }} as literal braces, never as placeholders', () => {
      const result = validatePrompts({
        system_prompt: 'Literal {{question}} and {{foo}}, JSON {{"a": 1}} and a lone pair {{}}.',
        user_prompt_template: `${VALID_TEMPLATE} Format: {{"slides": {max_slides}}}`,
      });
      expect(result).toMatchObject({ valid: true, errors: [], warnings: [] });
      expect(result.placeholders.system_prompt).toEqual([]);
      expect(result.placeholders.user_prompt_template).toEqual(['question', 'max_slides']);
    });

    it('pairs braces left to right like str.format: {{{question}}} is a brace, a placeholder, a brace', () => {
      const result = validatePrompts({ user_prompt_template: '{{{question}}} {max_slides}' });
      expect(result.valid).toBe(true);
      expect(result.placeholders.user_prompt_template).toEqual(['question', 'max_slides']);
    });

    it('does not count an escaped {{question}} as the required placeholder', () => {
      const issues = issuesOf('user_prompt_template', 'Q: {{question}} in {max_slides}');
      expect(issues.map(at)).toEqual([
        { code: 'missing_placeholder', severity: 'error', offset: 31, length: 0, line: 1, column: 32 },
      ]);
    });
  });

  describe('missing_placeholder', () => {
    it('requires {question} and {max_slides} in the user template, positioned at its end', () => {
      const text = 'Answer this.\r\nPlease.';
      const result = validatePrompts({ user_prompt_template: text });
      expect(result.valid).toBe(false);
      expect(result.errors).toEqual([
        {
          field: 'user_prompt_template',
          severity: 'error',
          code: 'missing_placeholder',
          message: expect.stringContaining('{question}'),
          offset: 21,
          length: 0,
          line: 2,
          column: 8,
        },
        {
          field: 'user_prompt_template',
          severity: 'error',
          code: 'missing_placeholder',
          message: expect.stringContaining('{max_slides}'),
          offset: 21,
          length: 0,
          line: 2,
          column: 8,
        },
      ]);
      expect(result.errors[0]!.message).toBe(
        "The user prompt template must contain {question}: it is where the agent inserts the user's question.",
      );
    });

    it('positions a missing placeholder after a trailing newline on the last, empty line', () => {
      expect(issuesOf('user_prompt_template', '{question}\n').map(at)).toEqual([
        { code: 'missing_placeholder', severity: 'error', offset: 11, length: 0, line: 2, column: 1 },
      ]);
    });

    it('does not require placeholders in the other fields', () => {
      expect(validatePrompts({ system_prompt: 'Be brief.', slide_editing_instructions: 'Edit.' }).valid).toBe(true);
    });
  });

  describe('unknown_placeholder', () => {
    it('reports an unknown name at its position and names the known ones', () => {
      const [issue, ...rest] = issuesOf('system_prompt', 'Hello {foo} world');
      expect(rest).toEqual([]);
      expect(issue).toEqual({
        field: 'system_prompt',
        severity: 'error',
        code: 'unknown_placeholder',
        message:
          '{foo} is not a known placeholder; the known placeholders are {question} and {max_slides}. ' +
          'To write the braces literally, double them: {{foo}}.',
        offset: 6,
        length: 5,
        line: 1,
        column: 7,
      });
    });

    it('counts lines on \\n and columns without the \\r of a \\r\\n', () => {
      const text = 'line one\r\nline two\r\n  {foo} and {Bar_2}\n{question}';
      expect(issuesOf('slide_editing_instructions', text).map(at)).toEqual([
        { code: 'unknown_placeholder', severity: 'error', offset: 22, length: 5, line: 3, column: 3 },
        { code: 'unknown_placeholder', severity: 'error', offset: 32, length: 7, line: 3, column: 13 },
      ]);
    });

    it('counts offsets and columns in UTF-16 code units (non-ASCII and emoji)', () => {
      // "Größe" is 5 code units; the emoji is 2 (a surrogate pair).
      const text = 'Größe {foo}\n😀 {bar} and 😀😀{baz}';
      expect(text.indexOf('{foo}')).toBe(6);
      expect(text.indexOf('{bar}')).toBe(15);
      expect(text.indexOf('{baz}')).toBe(29);
      expect(issuesOf('system_prompt', text).map(at)).toEqual([
        { code: 'unknown_placeholder', severity: 'error', offset: 6, length: 5, line: 1, column: 7 },
        { code: 'unknown_placeholder', severity: 'error', offset: 15, length: 5, line: 2, column: 4 },
        { code: 'unknown_placeholder', severity: 'error', offset: 29, length: 5, line: 2, column: 18 },
      ]);
    });

    it('is case-sensitive: {Question} is not {question}', () => {
      expect(issuesOf('system_prompt', '{Question}').map((i) => i.code)).toEqual(['unknown_placeholder']);
    });
  });

  describe('unbalanced_brace', () => {
    it('reports a { that is never closed', () => {
      const [issue, ...rest] = issuesOf('system_prompt', 'Open { here');
      expect(rest).toEqual([]);
      expect(at(issue!)).toEqual({ code: 'unbalanced_brace', severity: 'error', offset: 5, length: 1, line: 1, column: 6 });
      expect(issue!.message).toBe(
        'This { is never closed. A placeholder is a name in braces, like {question}; write {{ for a literal brace.',
      );
    });

    it('reports a { followed by another { before any }, and still reads the second one', () => {
      expect(issuesOf('system_prompt', 'a { b {question}').map(at)).toEqual([
        { code: 'unbalanced_brace', severity: 'error', offset: 2, length: 1, line: 1, column: 3 },
        { code: 'placeholder_in_system_prompt', severity: 'warning', offset: 6, length: 10, line: 1, column: 7 },
      ]);
    });

    it('reports a lone } that is not part of }}', () => {
      const [issue, ...rest] = issuesOf('system_prompt', 'x\r\nclose } here }} ok');
      expect(rest).toEqual([]);
      expect(at(issue!)).toEqual({ code: 'unbalanced_brace', severity: 'error', offset: 9, length: 1, line: 2, column: 7 });
      expect(issue!.message).toBe('This } has no matching {. Write }} for a literal brace.');
    });

    it('reports the odd } of }}} and the extra } after a placeholder', () => {
      expect(issuesOf('system_prompt', '}}} {max_slides}}').map(at)).toEqual([
        { code: 'unbalanced_brace', severity: 'error', offset: 2, length: 1, line: 1, column: 3 },
        { code: 'unbalanced_brace', severity: 'error', offset: 16, length: 1, line: 1, column: 17 },
      ]);
    });

    it('reports {{question} as an escape, text and a lone }', () => {
      expect(issuesOf('system_prompt', '{{question}').map(at)).toEqual([
        { code: 'unbalanced_brace', severity: 'error', offset: 10, length: 1, line: 1, column: 11 },
      ]);
    });

    it('reports a { at the very end of the text', () => {
      expect(issuesOf('system_prompt', 'end {').map(at)).toEqual([
        { code: 'unbalanced_brace', severity: 'error', offset: 4, length: 1, line: 1, column: 5 },
      ]);
    });
  });

  describe('invalid_placeholder', () => {
    it('reports braces around something that is not a name, suggesting {{ and }}', () => {
      const [issue, ...rest] = issuesOf('slide_editing_instructions', 'Return {"a": 1} as JSON.');
      expect(rest).toEqual([]);
      expect(issue).toEqual({
        field: 'slide_editing_instructions',
        severity: 'error',
        code: 'invalid_placeholder',
        message:
          '{"a": 1} is not a valid placeholder: a placeholder is a name in braces, like {question}. ' +
          'To write literal braces, write {{ and }}.',
        offset: 7,
        length: 8,
        line: 1,
        column: 8,
      });
    });

    it('suggests removing the spaces in { question }', () => {
      const [issue] = issuesOf('user_prompt_template', '{ question } {max_slides}');
      expect(at(issue!)).toEqual({ code: 'invalid_placeholder', severity: 'error', offset: 0, length: 12, line: 1, column: 1 });
      expect(issue!.message).toBe(
        '{ question } is not a valid placeholder: remove the spaces inside the braces ({question}). ' +
        'To write literal braces, write {{ and }}.',
      );
      // Not a placeholder, so {question} is still missing.
      expect(validatePrompts({ user_prompt_template: '{ question } {max_slides}' }).errors.map((i) => i.code)).toEqual([
        'invalid_placeholder',
        'missing_placeholder',
      ]);
    });

    it('rejects the str.format forms this service does not support: {}, {0}, {a.b}, {a[0]}, {a!r}, {a:>5}', () => {
      for (const content of ['', '0', '1abc', 'a.b', 'a[0]', 'question!r', 'question:>5', 'max-slides']) {
        expect(issuesOf('system_prompt', `{${content}}`).map(at)).toEqual([
          { code: 'invalid_placeholder', severity: 'error', offset: 0, length: content.length + 2, line: 1, column: 1 },
        ]);
      }
    });

    it('reports a CSS block spanning lines as one issue at its opening brace', () => {
      const text = 'Style:\nbody {\n  color: red;\n}\n';
      expect(issuesOf('system_prompt', text).map(at)).toEqual([
        { code: 'invalid_placeholder', severity: 'error', offset: 12, length: 17, line: 2, column: 6 },
      ]);
      expect(issuesOf('system_prompt', text)[0]!.message).toMatch(/^\{ color: red; \} is not a valid placeholder/);
    });

    it('reports nested JSON as the braces it cannot pair', () => {
      expect(issuesOf('system_prompt', '{"a": {"b": 1}}').map(at)).toEqual([
        { code: 'unbalanced_brace', severity: 'error', offset: 0, length: 1, line: 1, column: 1 },
        { code: 'invalid_placeholder', severity: 'error', offset: 6, length: 8, line: 1, column: 7 },
        { code: 'unbalanced_brace', severity: 'error', offset: 14, length: 1, line: 1, column: 15 },
      ]);
    });

    it('shortens long contents in the message', () => {
      const [issue] = issuesOf('system_prompt', `{${'x '.repeat(100)}}`);
      expect(issue!.message).toMatch(/^\{(x ){20}…\} is not a valid placeholder/);
      expect(issue!.length).toBe(202);
    });
  });

  describe('size', () => {
    it('rejects a field over 200,000 characters at offset 200,000', () => {
      const text = `{question} {max_slides}\n${'a'.repeat(PROMPT_MAX_LENGTH)}`; // 200,024 code units
      const [issue, ...rest] = issuesOf('user_prompt_template', text);
      expect(rest).toEqual([]);
      expect(issue).toEqual({
        field: 'user_prompt_template',
        severity: 'error',
        code: 'too_long',
        message:
          'The user prompt template is 200,024 characters long; the limit is 200,000. Shorten it by at least 24 characters.',
        offset: 200_000,
        length: 24,
        line: 2,
        column: 199_977,
      });
    });

    it('accepts exactly 200,000 characters, with the long-prompt warning', () => {
      const text = 'b'.repeat(PROMPT_MAX_LENGTH);
      const result = validatePrompts({ system_prompt: text });
      expect(result.valid).toBe(true);
      expect(result.warnings.map(at)).toEqual([
        { code: 'long_prompt', severity: 'warning', offset: 50_000, length: 150_000, line: 1, column: 50_001 },
      ]);
    });

    it('warns above 50,000 characters that the prompt is costly on every call', () => {
      const result = validatePrompts({ slide_editing_instructions: 'c'.repeat(PROMPT_WARN_LENGTH + 1) });
      expect(result.valid).toBe(true);
      expect(result.warnings).toEqual([
        {
          field: 'slide_editing_instructions',
          severity: 'warning',
          code: 'long_prompt',
          message:
            'The slide editing instructions are 50,001 characters long; they are sent with every request, which adds ' +
            'cost and latency to every call. Consider keeping it under 50,000 characters.',
          offset: 50_000,
          length: 1,
          line: 1,
          column: 50_001,
        },
      ]);
      expect(validatePrompts({ slide_editing_instructions: 'c'.repeat(PROMPT_WARN_LENGTH) }).warnings).toEqual([]);
    });

    it('validates a 200,000-character prompt full of braces in one call', () => {
      const fill = (chunk: string): string => {
        const body = chunk.repeat(Math.floor(PROMPT_MAX_LENGTH / chunk.length));
        return body + '.'.repeat(PROMPT_MAX_LENGTH - body.length);
      };
      const text = fill('Text {question} {{literal}} {max_slides} ünïcödé 😀\r\n');
      expect(text.length).toBe(PROMPT_MAX_LENGTH);
      const result = validatePrompts({
        system_prompt: fill('Text {max_slides} {{literal}} }} ünïcödé 😀\r\n'),
        slide_editing_instructions: text,
        user_prompt_template: text,
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings.map((i) => `${i.field}:${i.code}`)).toEqual([
        'system_prompt:long_prompt',
        'slide_editing_instructions:long_prompt',
        'user_prompt_template:long_prompt',
      ]);
      expect(result.placeholders.user_prompt_template).toEqual(['question', 'max_slides']);
    });

    it('lists at most 100 brace issues per field and summarises the rest at the first unlisted one', () => {
      const text = `{question} {max_slides}\n${'a}'.repeat(150)}`; // 150 lone braces
      const result = validatePrompts({ user_prompt_template: text });
      expect(result.errors).toHaveLength(PROMPT_MAX_LISTED_ISSUES + 1);
      const summary = result.errors[PROMPT_MAX_LISTED_ISSUES]!;
      expect(at(summary)).toEqual({ code: 'too_many_issues', severity: 'error', offset: 225, length: 0, line: 2, column: 202 });
      expect(summary.message).toBe(
        'The user prompt template has 50 more brace or placeholder problems after this point that are not listed; ' +
        'fix the ones above and validate again.',
      );
      const huge = validatePrompts({ system_prompt: 'x}'.repeat(PROMPT_MAX_LENGTH / 2) }); // 100,000 lone braces
      expect(huge.errors).toHaveLength(PROMPT_MAX_LISTED_ISSUES + 1);
    });
  });

  describe('empty', () => {
    it.each(PROMPT_FIELDS)('rejects an empty or whitespace-only %s', (field) => {
      expect(issuesOf(field, '').map(at)).toEqual([
        { code: 'empty', severity: 'error', offset: 0, length: 0, line: 1, column: 1 },
      ]);
      const [issue, ...rest] = issuesOf(field, ' \r\n\t\u00a0');
      expect(rest).toEqual([]);
      expect(at(issue!)).toEqual({ code: 'empty', severity: 'error', offset: 0, length: 5, line: 1, column: 1 });
      expect(issue!.message).toMatch(/ (is|are) empty; write the instructions the agent should follow\.$/);
    });
  });

  describe('placeholder_in_system_prompt', () => {
    it('warns about each {question} in the system prompt, not about {max_slides}', () => {
      const result = validatePrompts({ system_prompt: 'Q: {question}\nN: {max_slides}\nAgain {question}' });
      expect(result.valid).toBe(true);
      expect(result.warnings.map(at)).toEqual([
        { code: 'placeholder_in_system_prompt', severity: 'warning', offset: 3, length: 10, line: 1, column: 4 },
        { code: 'placeholder_in_system_prompt', severity: 'warning', offset: 36, length: 10, line: 3, column: 7 },
      ]);
      expect(result.warnings[0]!.message).toBe(
        'The system prompt contains {question}; the question is usually sent in the user template, ' +
        'so check that you want it here as well.',
      );
    });

    it('does not warn about {question} in the other fields', () => {
      const result = validatePrompts({ slide_editing_instructions: '{question}', user_prompt_template: VALID_TEMPLATE });
      expect(result.warnings).toEqual([]);
    });
  });

  describe('partial validation', () => {
    it('checks only the given fields', () => {
      expect(validatePrompts({})).toEqual({
        valid: true,
        errors: [],
        warnings: [],
        placeholders: { system_prompt: [], slide_editing_instructions: [], user_prompt_template: [] },
      });
      // Without the user template, nothing is missing.
      expect(validatePrompts({ system_prompt: 'Be brief.' }).valid).toBe(true);
      const result = validatePrompts({ slide_editing_instructions: '{foo}' });
      expect(result.errors.map((i) => i.field)).toEqual(['slide_editing_instructions']);
    });

    it('reports errors of several fields in field order, and warnings apart', () => {
      const result = validatePrompts({
        user_prompt_template: '{question}',
        system_prompt: '{question} {oops',
        slide_editing_instructions: '',
      });
      expect(result.errors.map((i) => `${i.field}:${i.code}`)).toEqual([
        'system_prompt:unbalanced_brace',
        'slide_editing_instructions:empty',
        'user_prompt_template:missing_placeholder',
      ]);
      expect(result.warnings.map((i) => `${i.field}:${i.code}`)).toEqual(['system_prompt:placeholder_in_system_prompt']);
    });
  });

  it('only ever produces the documented codes', () => {
    const result = validatePrompts({
      system_prompt: `{question} {x} { } } { ${'}'.repeat(300)}`,
      slide_editing_instructions: ' ',
      user_prompt_template: 'z'.repeat(PROMPT_MAX_LENGTH + 1),
    });
    for (const issue of [...result.errors, ...result.warnings]) {
      expect(PROMPT_ISSUE_CODES).toContain(issue.code);
    }
  });
});

describe('renderTemplate', () => {
  it('fills the placeholders, repeated ones included', () => {
    expect(renderTemplate('Q: {question}\nMax {max_slides} ({max_slides}) — {question}', { question: 'Why?', max_slides: 8 })).toBe(
      'Q: Why?\nMax 8 (8) — Why?',
    );
  });

  it('unescapes {{ and }} and never fills escaped names', () => {
    expect(renderTemplate('{{question}} {{"n": {max_slides}}} }}{{', { question: 'x', max_slides: 3 })).toBe(
      '{question} {"n": 3} }{',
    );
  });

  it('inserts values verbatim, even when they contain braces', () => {
    expect(renderTemplate('{question}', { question: 'What is {foo} and {{x}}?' })).toBe('What is {foo} and {{x}}?');
  });

  it('renders the default user template', () => {
    const rendered = renderTemplate(DEFAULT_USER_PROMPT_TEMPLATE, { question: 'Revenue by region?', max_slides: 10 });
    expect(rendered).toContain('Question: Revenue by region?');
    expect(rendered).toContain('Use at most 10 slides');
    expect(rendered).not.toMatch(/[{}]/);
  });

  it('returns text without braces unchanged', () => {
    expect(renderTemplate('', {})).toBe('');
    expect(renderTemplate(DEFAULT_SYSTEM_PROMPT, {})).toBe(DEFAULT_SYSTEM_PROMPT);
  });

  it('throws on an unknown placeholder, even when a value is given for it', () => {
    expect(() => renderTemplate('Hi {foo}', { question: 'q', max_slides: 1, foo: 'x' })).toThrow(PromptTemplateError);
    expect(() => renderTemplate('Hi {foo}', { foo: 'x' })).toThrow(
      'Unknown placeholder {foo} at offset 3; the known placeholders are {question} and {max_slides}.',
    );
    expect(() => renderTemplate('Hi {foo}', {})).toThrow(
      expect.objectContaining({ name: 'PromptTemplateError', code: 'unknown_placeholder', offset: 3 }),
    );
  });

  it('throws when a known placeholder has no value', () => {
    expect(() => renderTemplate('{question} {max_slides}', { question: 'q' })).toThrow(
      expect.objectContaining({ code: 'missing_placeholder', offset: 11 }),
    );
  });

  it('throws on unbalanced braces and invalid placeholders', () => {
    expect(() => renderTemplate('a { b', {})).toThrow(expect.objectContaining({ code: 'unbalanced_brace', offset: 2 }));
    expect(() => renderTemplate('a } b', {})).toThrow(expect.objectContaining({ code: 'unbalanced_brace', offset: 2 }));
    expect(() => renderTemplate('{"a": 1}', {})).toThrow(expect.objectContaining({ code: 'invalid_placeholder', offset: 0 }));
  });
});
