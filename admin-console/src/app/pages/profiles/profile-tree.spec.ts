import { ProfileListItemDto } from '../../api/models';
import { listedProfile } from '../../testing';
import { profileRows } from './profile-tree';

const BASE = listedProfile();
const profile = (id: number, name: string, parent: number | null): ProfileListItemDto => ({ ...BASE, id, name, is_default: false, parent_profile_id: parent });

describe('profileRows', () => {
  // The server's default order: the default profile first, then by name.
  const page = [BASE, profile(5, 'Alpha child', 4), profile(2, 'EU', 1), profile(3, 'EU France', 2), profile(6, 'Orphan', 9), profile(4, 'Zeta', null), profile(7, 'EU Germany', 2)];

  it('puts each child after its parent, one level deeper, keeping the server order among siblings and roots', () => {
    const rows = profileRows(page, [], true);
    expect(rows.map((row) => `${'  '.repeat(row.depth)}${row.name}`)).toEqual(['Base', '  EU', '    EU France', '    EU Germany', 'Orphan', 'Zeta', '  Alpha child']);
  });

  it('names every parent, from the page or the whole list; a parent it cannot find by its id', () => {
    const rows = profileRows(page, [profile(9, 'Far away', null)], true);
    expect(Object.fromEntries(rows.map((row) => [row.name, row.parent_name]))).toMatchObject({ Base: null, 'EU France': 'EU', Orphan: 'Far away', 'Alpha child': 'Zeta' });
    expect(profileRows([profile(6, 'Orphan', 9)], [], true)[0]!.parent_name).toBe('profile 9');
  });

  it('keeps the server order, flat, when the list is sorted by a column', () => {
    const rows = profileRows(page, [], false);
    expect(rows.map((row) => row.name)).toEqual(page.map((row) => row.name));
    expect(rows.every((row) => row.depth === 0)).toBe(true);
    expect(rows.find((row) => row.name === 'EU France')?.parent_name).toBe('EU');
  });

  it('still shows every profile of a (stale) cycle once', () => {
    expect(profileRows([profile(1, 'A', 2), profile(2, 'B', 1)], [], true).map((row) => row.name)).toEqual(['A', 'B']);
  });
});
