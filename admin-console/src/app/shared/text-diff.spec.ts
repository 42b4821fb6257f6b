import { diffText, isLongText, lineDiff } from './text-diff';

describe('lineDiff', () => {
  it('marks removed and added lines and keeps the unchanged ones', () => {
    const lines = lineDiff('You are helpful.\nBe brief.\nCite sources.', 'You are helpful.\nBe thorough.\nCite sources.');
    expect(lines).toEqual([
      { kind: 'same', text: 'You are helpful.' },
      { kind: 'removed', text: 'Be brief.' },
      { kind: 'added', text: 'Be thorough.' },
      { kind: 'same', text: 'Cite sources.' },
    ]);
  });

  it('folds long unchanged runs, keeping two lines of context around each change', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[15] = 'line 15, edited';
    const lines = lineDiff(before.join('\n'), after.join('\n'));
    expect(lines[0]).toEqual({ kind: 'skipped', text: '… 13 unchanged lines', count: 13 });
    expect(lines.slice(1, 6).map((line) => line.kind)).toEqual(['same', 'same', 'removed', 'added', 'same']);
    expect(lines.at(-1)).toEqual({ kind: 'skipped', text: '… 12 unchanged lines', count: 12 });
  });

  it('treats an absent side as no lines at all', () => {
    expect(lineDiff(null, 'a\nb')).toEqual([
      { kind: 'added', text: 'a' },
      { kind: 'added', text: 'b' },
    ]);
  });

  it('matches moved blocks line by line (longest common subsequence)', () => {
    const kinds = lineDiff('a\nb\nc\nd', 'b\nc\nd\na').map((line) => `${line.kind}:${line.text}`);
    expect(kinds).toEqual(['removed:a', 'same:b', 'same:c', 'same:d', 'added:a']);
  });
});

describe('diffText and isLongText', () => {
  it('shows objects as indented JSON and tells short values from long ones', () => {
    expect(diffText(null)).toBeNull();
    expect(diffText({ space_name: 'Sales' })).toBe('{\n  "space_name": "Sales"\n}');
    expect(isLongText(0.7, 0.3)).toBe(false);
    expect(isLongText('a', 'b\nc')).toBe(true);
    expect(isLongText('x'.repeat(121), null)).toBe(true);
  });
});
