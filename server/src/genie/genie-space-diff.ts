/** What a profile document says about one Genie space (no row id, version or timestamps). */
export interface GenieSpaceValues {
  space_id: string;
  space_name: string;
  description: string | null;
  is_default: boolean;
}

export type SideBySide = Record<string, { left: unknown; right: unknown }>;

const COMPARED = ['space_name', 'description', 'is_default'] as const;

/**
 * Two sets of Genie spaces matched by space_id: a space on both sides shows each differing field
 * as `"<space_id>.<field>"`; a space on one side only shows as `"<space_id>"` with null on the other.
 */
export function diffGenieSpaces(left: readonly GenieSpaceValues[], right: readonly GenieSpaceValues[]): SideBySide {
  const differences: SideBySide = {};
  const rightById = new Map(right.map((space) => [space.space_id, space]));
  const leftIds = new Set(left.map((space) => space.space_id));
  for (const space of left) {
    const other = rightById.get(space.space_id);
    if (!other) {
      differences[space.space_id] = { left: valuesOf(space), right: null };
      continue;
    }
    for (const field of COMPARED) {
      if (space[field] !== other[field]) differences[`${space.space_id}.${field}`] = { left: space[field], right: other[field] };
    }
  }
  for (const space of right) {
    if (!leftIds.has(space.space_id)) differences[space.space_id] = { left: null, right: valuesOf(space) };
  }
  return differences;
}

/** A document's spaces as stored: a missing description is null, and without a flagged default the first space is the default. */
export function normaliseGenieSpaces(spaces: readonly Partial<GenieSpaceValues>[]): GenieSpaceValues[] {
  const flagged = spaces.some((space) => space.is_default === true);
  return spaces.map((space, index) => ({
    space_id: space.space_id ?? '',
    space_name: space.space_name ?? '',
    description: space.description ?? null,
    is_default: flagged ? space.is_default === true : index === 0,
  }));
}

function valuesOf(space: GenieSpaceValues): Omit<GenieSpaceValues, 'space_id'> {
  return { space_name: space.space_name, description: space.description, is_default: space.is_default };
}
