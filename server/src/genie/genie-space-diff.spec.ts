import { diffGenieSpaces, normaliseGenieSpaces } from './genie-space-diff.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const space = (space_id: string, space_name: string, is_default = false, description: string | null = null) => ({ space_id, space_name, description, is_default });

describe('diffGenieSpaces', () => {
  it('finds nothing between the same spaces in another order', () => {
    expect(diffGenieSpaces([space(A, 'Sales', true), space(B, 'Ops')], [space(B, 'Ops'), space(A, 'Sales', true)])).toEqual({});
  });

  it('names each differing field of a space on both sides as <space_id>.<field>', () => {
    expect(diffGenieSpaces([space(A, 'Sales', true), space(B, 'Ops')], [space(A, 'Revenue', false, 'EU only'), space(B, 'Ops', true)])).toEqual({
      [`${A}.space_name`]: { left: 'Sales', right: 'Revenue' },
      [`${A}.description`]: { left: null, right: 'EU only' },
      [`${A}.is_default`]: { left: true, right: false },
      [`${B}.is_default`]: { left: false, right: true },
    });
  });

  it('shows a space on one side only with null on the other', () => {
    expect(diffGenieSpaces([space(A, 'Sales', true), space(B, 'Ops')], [space(A, 'Sales', true), space(C, 'Finance')])).toEqual({
      [B]: { left: { space_name: 'Ops', description: null, is_default: false }, right: null },
      [C]: { left: null, right: { space_name: 'Finance', description: null, is_default: false } },
    });
  });
});

describe('normaliseGenieSpaces', () => {
  it('makes the first space the default when none is flagged, and a missing description null', () => {
    expect(normaliseGenieSpaces([{ space_id: A, space_name: 'Sales' }, { space_id: B, space_name: 'Ops' }])).toEqual([
      space(A, 'Sales', true),
      space(B, 'Ops', false),
    ]);
  });

  it('keeps a flagged default', () => {
    expect(normaliseGenieSpaces([space(A, 'Sales'), space(B, 'Ops', true)]).map((s) => s.is_default)).toEqual([false, true]);
  });
});
