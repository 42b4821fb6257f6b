import { FormControl } from '@angular/forms';

import { PROMPT_MAX_LENGTH, promptErrors, promptValidator, scanPlaceholders } from './prompt-rules';

describe('prompt rules', () => {
  it('finds placeholders and treats doubled braces as literal', () => {
    expect(scanPlaceholders('Q: {question}, at most {max_slides}; JSON: {{"a": 1}}')).toEqual({ names: ['question', 'max_slides'], problems: [] });
  });

  it('reports lone braces and placeholders that are not plain names', () => {
    const codes = (text: string) => scanPlaceholders(text).problems.map((problem) => problem.code);
    expect(codes('a } b')).toEqual(['unbalanced_brace']);
    expect(codes('a { b')).toEqual(['unbalanced_brace']);
    expect(codes('{0} and {a.b}')).toEqual(['invalid_placeholder', 'invalid_placeholder']);
  });

  it('requires {question} and {max_slides} in the user template only', () => {
    expect(promptErrors('user_prompt_template', 'Answer: {question}').map((error) => error.message)).toEqual([
      'The user template must contain {max_slides}.',
    ]);
    expect(promptErrors('system_prompt', 'You are an analyst.')).toEqual([]);
    expect(promptErrors('user_prompt_template', '{question} in {max_slides} slides')).toEqual([]);
  });

  it('refuses unknown placeholders, empty text and text over 200,000 characters', () => {
    expect(promptErrors('system_prompt', 'Use {topic}.').map((error) => error.code)).toEqual(['unknown_placeholder']);
    expect(promptErrors('system_prompt', '  \n ').map((error) => error.code)).toEqual(['empty']);
    expect(promptErrors('system_prompt', 'x'.repeat(PROMPT_MAX_LENGTH + 1)).map((error) => error.code)).toEqual(['too_long']);
    expect(promptErrors('system_prompt', 'x'.repeat(PROMPT_MAX_LENGTH))).toEqual([]);
  });

  it('works as a form validator', () => {
    const control = new FormControl('{question}', promptValidator('user_prompt_template'));
    expect(control.errors).toEqual({ prompt: 'The user template must contain {max_slides}.' });
    control.setValue('{question} {max_slides}');
    expect(control.valid).toBe(true);
  });
});
