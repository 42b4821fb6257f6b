import { FormControl } from '@angular/forms';

import { errorMessage } from './form-errors';
import { experimentName, genieSpaceId, lineText, numberIn } from './validators';

describe('client-side rules (copies of the server’s)', () => {
  it('line text: required, not blank, one line, at most max characters', () => {
    const control = new FormControl('', lineText(5));
    expect(errorMessage(control, 'The name')).toBe('The name is required.');
    control.setValue('   ');
    expect(errorMessage(control, 'The name')).toBe('The name must not be blank.');
    control.setValue('a\nb');
    expect(errorMessage(control, 'The name')).toBe('The name must be one line, without control characters.');
    control.setValue('abcdef');
    expect(errorMessage(control, 'The name')).toBe('The name must be at most 5 characters.');
    control.setValue('abc');
    expect(control.valid).toBe(true);
  });

  it('numbers: ranges and whole numbers', () => {
    const temperature = new FormControl<number | null>(0.5, numberIn(0, 1));
    expect(temperature.valid).toBe(true);
    temperature.setValue(1.01);
    expect(errorMessage(temperature, 'Temperature')).toBe('Temperature must be at most 1.');
    temperature.setValue(-0.1);
    expect(errorMessage(temperature, 'Temperature')).toBe('Temperature must be at least 0.');
    temperature.setValue(null);
    expect(errorMessage(temperature, 'Temperature')).toBe('Temperature is required.');

    const maxTokens = new FormControl<number | null>(1.5, numberIn(1, 1_000_000, true));
    expect(errorMessage(maxTokens, 'Max tokens')).toBe('Max tokens must be a whole number.');
    maxTokens.setValue(1_000_001);
    expect(errorMessage(maxTokens, 'Max tokens')).toBe('Max tokens must be at most 1000000.');
  });

  it('Genie space ids are 32 hexadecimal characters, either case', () => {
    const control = new FormControl('01effebcc2781b6bbb749077a55d31e3', genieSpaceId);
    expect(control.valid).toBe(true);
    control.setValue('01EFFEBCC2781B6BBB749077A55D31E3');
    expect(control.valid).toBe(true);
    control.setValue('01effebcc2781b6bbb749077a55d31e');
    expect(errorMessage(control, 'The space id')).toContain('32 hexadecimal characters');
  });

  it('MLflow experiment names: a plain name or an absolute path without dot segments', () => {
    const control = new FormControl('', experimentName);
    for (const good of ['slides', '/Workspace/Users/{username}/slides', '/Shared/exp']) {
      control.setValue(good);
      expect(control.errors).toBeNull();
    }
    for (const bad of ['/Workspace/', 'a/b', '/Workspace//x', '/Workspace/../x', '/./x']) {
      control.setValue(bad);
      expect(control.errors).not.toBeNull();
    }
  });
});
