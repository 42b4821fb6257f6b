import { ProfileListItemDto } from '../../api/models';

/** A row of the profile table: the profile, how deep it sits under profiles on the same page, and its parent's name. */
export type SbProfileRow = ProfileListItemDto & { depth: number; parent_name: string | null };

/**
 * The page's profiles as a tree: each child right after its parent (and that parent's earlier
 * children), one level deeper; profiles whose parent is not on the page are roots, in the
 * server's order. With `tree` false, the server's order stays and every depth is 0. The parent's
 * name comes from the page or from `known` (the whole list), so a child always says whose it is.
 */
export function profileRows(page: readonly ProfileListItemDto[], known: readonly ProfileListItemDto[], tree: boolean): SbProfileRow[] {
  const names = new Map([...known, ...page].map((profile) => [profile.id, profile.name]));
  const parentName = (profile: ProfileListItemDto) => (profile.parent_profile_id === null ? null : (names.get(profile.parent_profile_id) ?? `profile ${profile.parent_profile_id}`));
  if (!tree) return page.map((profile) => ({ ...profile, depth: 0, parent_name: parentName(profile) }));

  const onPage = new Set(page.map((profile) => profile.id));
  const children = new Map<number, ProfileListItemDto[]>();
  const roots: ProfileListItemDto[] = [];
  for (const profile of page) {
    const parent = profile.parent_profile_id;
    if (parent === null || !onPage.has(parent) || parent === profile.id) roots.push(profile);
    else children.set(parent, [...(children.get(parent) ?? []), profile]);
  }
  const rows: SbProfileRow[] = [];
  const placed = new Set<number>();
  const place = (profile: ProfileListItemDto, depth: number) => {
    if (placed.has(profile.id)) return;
    placed.add(profile.id);
    rows.push({ ...profile, depth, parent_name: parentName(profile) });
    for (const child of children.get(profile.id) ?? []) place(child, depth + 1);
  };
  for (const root of roots) place(root, 0);
  // A cycle has no root on the page (the server refuses cycles; a stale page might still show one).
  for (const profile of page) place(profile, 0);
  return rows;
}
