import { diff3Merge } from 'node-diff3';

export const YOURS_MARK = '<<<<<<< yours (not saved)';
export const SPLIT_MARK = '=======';
export const THEIRS_MARK = '>>>>>>> theirs (saved)';
const YOURS_LINE = /^<{7}(?: |$)/m;
const THEIRS_LINE = /^>{7}(?: |$)/m;

/** A three-way merge of one text, line by line. */
export interface SbLineMerge {
  text: string;
  /** Places both sides changed differently: marked in `text` for a person to settle. */
  conflicts: number;
}

/**
 * Merges two edits of the same text (yours and theirs, both from `base`) line by line, as git
 * does: lines only one side changed take that side's; where both changed the same lines
 * differently, both versions go in between conflict marks. Identical changes are no conflict.
 */
export function mergeLines(base: string, theirs: string, yours: string): SbLineMerge {
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of diff3Merge(yours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true })) {
    if (region.ok) lines.push(...region.ok);
    else if (region.conflict) {
      conflicts++;
      lines.push(YOURS_MARK, ...region.conflict.a, SPLIT_MARK, ...region.conflict.b, THEIRS_MARK);
    }
  }
  return { text: lines.join('\n'), conflicts };
}

/** Whether a text still holds a marked place: a line of seven < and one of seven > (a line of = alone is a Markdown heading). */
export function hasConflictMarks(text: string): boolean {
  return YOURS_LINE.test(text) && THEIRS_LINE.test(text);
}
