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
