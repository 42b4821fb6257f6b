/** One line of a line diff; `skipped` stands for `count` unchanged lines left out. */
export interface SbDiffLine {
  kind: 'same' | 'removed' | 'added' | 'skipped';
  text: string;
  count?: number;
}

/** Beyond this many cells the middle is shown as removed-then-added rather than matched line by line. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff of two texts (longest common subsequence, after trimming the common start and end),
 * with runs of unchanged lines longer than `2 × context + 1` folded into one `skipped` line.
 */
export function lineDiff(before: string | null, after: string | null, context = 2): SbDiffLine[] {
  // null: the value is absent on that side (no lines at all, not one empty line).
  const a = before === null ? [] : before.split('\n');
  const b = after === null ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lines: SbDiffLine[] = a.slice(0, start).map((text) => ({ kind: 'same', text }));
  lines.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  lines.push(...a.slice(endA).map((text): SbDiffLine => ({ kind: 'same', text })));
  return fold(lines, context);
}

function middle(a: string[], b: string[]): SbDiffLine[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): SbDiffLine => ({ kind: 'removed', text })), ...b.map((text): SbDiffLine => ({ kind: 'added', text }))];
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: SbDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      out.push({ kind: 'removed', text: a[i++]! });
    } else {
      out.push({ kind: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
  return out;
}

function fold(lines: SbDiffLine[], context: number): SbDiffLine[] {
  const out: SbDiffLine[] = [];
  let index = 0;
  while (index < lines.length) {
    if (lines[index]!.kind !== 'same') {
      out.push(lines[index++]!);
      continue;
    }
    let end = index;
    while (end < lines.length && lines[end]!.kind === 'same') end++;
    const keepBefore = index === 0 ? 0 : context;
    const keepAfter = end === lines.length ? 0 : context;
    const run = end - index;
    if (run > keepBefore + keepAfter + 1) {
      out.push(...lines.slice(index, index + keepBefore));
      const count = run - keepBefore - keepAfter;
      out.push({ kind: 'skipped', text: `… ${count} unchanged line${count === 1 ? '' : 's'}`, count });
      out.push(...lines.slice(end - keepAfter, end));
    } else {
      out.push(...lines.slice(index, end));
    }
    index = end;
  }
  return out;
}

/** A value as text for a diff: absent is null, strings as they are, anything else as indented JSON. */
export function diffText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Whether two values read better as a line diff than as two short cells. */
export function isLongText(before: unknown, after: unknown): boolean {
  return [diffText(before), diffText(after)].some((text) => text !== null && (text.includes('\n') || text.length > 120));
}
