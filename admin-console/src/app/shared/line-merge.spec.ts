import { hasConflictMarks, mergeLines } from './line-merge';

const BASE = ['You are a slide generator.', 'Be brief.', 'Use charts.', 'Answer in English.'].join('\n');

describe('mergeLines', () => {
  it('keeps the lines each side changed when they changed different lines', () => {
    const theirs = BASE.replace('Be brief.', 'Be very brief.');
    const yours = BASE.replace('Answer in English.', 'Answer in French.');
    expect(mergeLines(BASE, theirs, yours)).toEqual({ text: ['You are a slide generator.', 'Be very brief.', 'Use charts.', 'Answer in French.'].join('\n'), conflicts: 0 });
  });

  it('takes a change made the same way on both sides once', () => {
    const both = BASE.replace('Use charts.', 'Use tables.');
    expect(mergeLines(BASE, both, both)).toEqual({ text: both, conflicts: 0 });
  });

  it('marks the lines both changed differently, yours first', () => {
    const theirs = BASE.replace('Use charts.', 'Use tables.');
    const yours = BASE.replace('Use charts.', 'Use diagrams.').replace('You are', 'You are now');
    const merged = mergeLines(BASE, theirs, yours);
    expect(merged.conflicts).toBe(1);
    expect(merged.text.split('\n')).toEqual([
      'You are now a slide generator.',
      'Be brief.',
      '<<<<<<< yours (not saved)',
      'Use diagrams.',
      '=======',
      'Use tables.',
      '>>>>>>> theirs (saved)',
      'Answer in English.',
    ]);
    expect(hasConflictMarks(merged.text)).toBe(true);
    expect(hasConflictMarks(BASE)).toBe(false);
    expect(hasConflictMarks('Title\n=======\nText')).toBe(false); // a Markdown heading
    expect(hasConflictMarks('<<<<<<< mine\na\n>>>>>>> theirs')).toBe(true);
    expect(hasConflictMarks('a <<<<<<< b >>>>>>> c')).toBe(false);
  });
});
