import { mergeChanges } from './conflict-dialog.component';

describe('mergeChanges', () => {
  it('puts only the fields yours changed over theirs; where both changed one, yours wins', () => {
    const base = { temperature: 0.7, max_tokens: 8000, endpoint: 'a', stop: ['x'] };
    const theirs = { temperature: 0.7, max_tokens: 12345, endpoint: 'b', stop: ['x'] };
    const yours = { temperature: 0.35, max_tokens: 8000, endpoint: 'c', stop: ['x', 'y'] };
    expect(mergeChanges(base, theirs, yours)).toEqual({ temperature: 0.35, max_tokens: 12345, endpoint: 'c', stop: ['x', 'y'] });
    expect(mergeChanges(base, theirs, base)).toEqual(theirs);
    // Of the fields both changed, those the user chose to keep theirs for stay theirs.
    expect(mergeChanges(base, theirs, yours, ['endpoint'])).toEqual({ temperature: 0.35, max_tokens: 12345, endpoint: 'b', stop: ['x', 'y'] });
  });
});

describe('mergeChanges, line by line', () => {
  it('merges the texts named, marking the lines both changed, and leaves the others whole', () => {
    // Changes on lines next to each other are one place, as in git: these are apart.
    const base = { prompt: 'one\ntwo\nthree\nfour', note: 'a' };
    const theirs = { prompt: 'one\nTWO\nthree\nfour', note: 'b' };
    const yours = { prompt: 'one\ntwo\nthree\nFOUR', note: 'c' };
    expect(mergeChanges(base, theirs, yours, [], ['prompt'])).toEqual({ prompt: 'one\nTWO\nthree\nFOUR', note: 'c' });
    expect(mergeChanges(base, theirs, yours, ['prompt'], ['prompt'])['prompt']).toBe('one\nTWO\nthree\nfour'); // theirs chosen wins
    const clash = mergeChanges(base, theirs, { ...yours, prompt: 'one\nDos\nthree\nfour' }, [], ['prompt']);
    expect(String(clash['prompt']).split('\n')).toEqual(['one', '<<<<<<< yours (not saved)', 'Dos', '=======', 'TWO', '>>>>>>> theirs (saved)', 'three', 'four']);
  });
});
