import { diffGenieSpaces, genieSpaceChanges, type GenieSpaceValues, normaliseGenieSpaces, patchGenieSpaces } from './genie-space-diff.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const space = (space_id: string, space_name: string, is_default = false, description: string | null = null): GenieSpaceValues => ({ space_id, space_name, description, is_default });

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

describe('patchGenieSpaces (a change request of Genie spaces, applied)', () => {
  const before = [space(A, 'Sales', true), space(B, 'Ops')];

  it('applies the differences onto spaces changed meanwhile, keeping those it does not name', () => {
    const proposed = [space(A, 'Sales', false), space(B, 'Ops', true, 'runbooks')];
    const current = [...before, space(C, 'Added meanwhile')];
    expect(patchGenieSpaces(current, genieSpaceChanges(before, proposed))).toEqual({
      spaces: [space(A, 'Sales', false), space(B, 'Ops', true, 'runbooks'), space(C, 'Added meanwhile')],
    });
  });

  it('adds and removes whole spaces', () => {
    const proposed = [space(A, 'Sales', true), space(C, 'Support')];
    expect(patchGenieSpaces(before, genieSpaceChanges(before, proposed))).toEqual({ spaces: [space(A, 'Sales', true), space(C, 'Support')] });
  });

  it('names the first difference whose old value no longer holds, and applies nothing', () => {
    const differences = genieSpaceChanges(before, [space(A, 'Sales EMEA', true), space(B, 'Ops')]);
    expect(patchGenieSpaces([space(A, 'Sales APAC', true), space(B, 'Ops')], differences)).toEqual({ conflict: `${A}.space_name` });
  });

  it('is a conflict, not a crash, when a space whose field it changes was removed meanwhile (even from null)', () => {
    const differences = genieSpaceChanges(before, [space(A, 'Sales', true), space(B, 'Ops', false, 'new text')]);
    expect(differences).toEqual({ [`${B}.description`]: { old: null, new: 'new text' } });
    expect(patchGenieSpaces([space(A, 'Sales', true)], differences)).toEqual({ conflict: `${B}.description` });
  });

  it('is a conflict when a space it adds was added meanwhile with other values', () => {
    const differences = genieSpaceChanges(before, [...before, space(C, 'Support')]);
    expect(patchGenieSpaces([...before, space(C, 'Help desk')], differences)).toEqual({ conflict: C });
  });
});
