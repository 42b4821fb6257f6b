import { isDeepStrictEqual } from 'node:util';
import { type FieldError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { FieldChanges } from '../common/events/config-events.js';

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

/** diffGenieSpaces as an audit entry's changes: each difference `{old, new}`. */
export function genieSpaceChanges(before: readonly GenieSpaceValues[], after: readonly GenieSpaceValues[]): FieldChanges {
  return Object.fromEntries(Object.entries(diffGenieSpaces(before, after)).map(([key, { left, right }]) => [key, { old: left, new: right }]));
}

/**
 * `current` with differences (as genieSpaceChanges gives them) applied: a space added,
 * removed or changed field by field; spaces the differences do not name stay as they are. When a
 * difference's `old` is not what `current` holds, nothing is applied: the conflicting key comes back.
 */
export function patchGenieSpaces(current: readonly GenieSpaceValues[], differences: FieldChanges): { spaces: GenieSpaceValues[] } | { conflict: string } {
  const spaces = new Map(current.map((space) => [space.space_id, { ...space }]));
  for (const [key, { old }] of Object.entries(differences)) {
    const [spaceId, field] = splitKey(key);
    const space = spaces.get(spaceId);
    if (field && !space) return { conflict: key }; // the space is gone
    const now = field ? space![field] : space ? valuesOf(space) : null;
    if (!isDeepStrictEqual(now ?? null, old ?? null)) return { conflict: key };
  }
  for (const [key, change] of Object.entries(differences)) {
    const [spaceId, field] = splitKey(key);
    if (field) (spaces.get(spaceId) as Record<string, unknown>)[field] = change.new;
    else if (change.new === null) spaces.delete(spaceId);
    else spaces.set(spaceId, { space_id: spaceId, ...(change.new as Omit<GenieSpaceValues, 'space_id'>) });
  }
  return { spaces: normaliseGenieSpaces([...spaces.values()]) };
}

/** "<space_id>.<field>" or "<space_id>" (space ids hold no dot: 32 hexadecimal digits). */
function splitKey(key: string): [string, (typeof COMPARED)[number] | undefined] {
  const dot = key.indexOf('.');
  return dot < 0 ? [key, undefined] : [key.slice(0, dot), key.slice(dot + 1) as (typeof COMPARED)[number]];
}

/** A set of spaces as a document gives it, refused (422) when a space_id repeats or two are the default. */
export function checkedGenieSet(spaces: readonly (Partial<GenieSpaceValues> & { space_id: string })[]): GenieSpaceValues[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  spaces.forEach((space, index) => {
    if (seen.has(space.space_id)) errors.push({ field: `${index}.space_id`, message: `space ${space.space_id} is listed more than once` });
    seen.add(space.space_id);
  });
  const defaults = spaces.flatMap((space, index) => (space.is_default ? [index] : []));
  for (const index of defaults.slice(1)) errors.push({ field: `${index}.is_default`, message: 'only one Genie space can be the default' });
  if (errors.length) throw new UnprocessableError('The Genie spaces are not a valid set.', errors);
  return normaliseGenieSpaces(spaces);
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
