import type pg from 'pg';
import { isSuccess, type WriteRecord } from './crash-workload.js';

/** The one-row-per-profile domains whose rows carry a version of their own. */
const ROW_DOMAINS = ['ai_infra', 'mlflow', 'prompts'] as const;
type RowDomain = (typeof ROW_DOMAINS)[number];

/** Actions whose entry is a profile's first: it came into being in that transaction. */
const BIRTHS = ['create', 'duplicate', 'import', 'restore'];

export interface CrashFindings {
  /** A profile without exactly one row of each domain, or without its creating entry first; or not one default. */
  halfMadeProfiles: string[];
  /** A version that its audit entries do not account for, or a snapshot that shows a change before its entry. */
  auditMismatches: string[];
  /** An acknowledged write missing from the database or its audit, or an answered failure that left entries. */
  lostWrites: string[];
  /**
   * Entries whose snapshot shows another domain of the profile older than an earlier, committed entry
   * says it was. Not a failure here (reported): two writes to different domains of one profile only
   * share a FOR SHARE lock on the profile, so each reads the other's row before it commits, while the
   * commit-order lock still gives the later reader the higher id.
   */
  staleSnapshots: number;
  /** Writes that got no answer but committed anyway (their audit entries are there). */
  committedUnanswered: number;
}

interface Entry {
  id: number;
  /** The profile's id, also after its delete (profile_id is then NULL; the snapshot keeps it). */
  key: number;
  domain: string;
  action: string;
  request_id: string | null;
  changes: Record<string, { old: unknown; new: unknown }>;
  profile_version: number | null;
  ai_infra_version: number | null;
  mlflow_version: number | null;
  prompts_version: number | null;
  max_tokens: number | null;
  experiment: string | null;
  system_prompt: string | null;
  spaces: { id: number; version: number }[] | null;
}

interface Rows {
  profiles: { id: number; version: number; is_default: boolean }[];
  domains: Record<RowDomain, { profile_id: number; version: number; value: string | number }[]>;
  spaces: { id: number; profile_id: number; version: number; is_default: boolean }[];
}

/**
 * Reads the whole database in one snapshot and checks what a crash must not break: every version
 * is accounted for by audit entries, no profile is half-made, every acknowledged write is there.
 */
export async function inspectAfterCrash(sql: pg.Client, records: readonly WriteRecord[]): Promise<CrashFindings> {
  await sql.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const entries = await readHistory(sql);
    const rows = await readRows(sql);
    const versions = checkVersions(entries, rows);
    const audited = new Set(entries.map((entry) => entry.request_id));
    return {
      halfMadeProfiles: checkProfilesWhole(entries, rows),
      auditMismatches: versions.mismatches,
      lostWrites: checkWrites(entries, rows, records),
      staleSnapshots: versions.stale,
      committedUnanswered: records.filter((record) => record.status === undefined && audited.has(record.requestId)).length,
    };
  } finally {
    await sql.query('COMMIT');
  }
}

async function readHistory(sql: pg.Client): Promise<Entry[]> {
  const { rows } = await sql.query<Entry>(`
    SELECT id::int, coalesce(profile_id, (snapshot ->> 'id')::int) AS key, domain, action, request_id, changes,
           (snapshot ->> 'version')::int AS profile_version,
           (snapshot -> 'ai_infra' ->> 'version')::int AS ai_infra_version,
           (snapshot -> 'mlflow' ->> 'version')::int AS mlflow_version,
           (snapshot -> 'prompts' ->> 'version')::int AS prompts_version,
           (snapshot -> 'ai_infra' ->> 'llm_max_tokens')::int AS max_tokens,
           snapshot -> 'mlflow' ->> 'experiment_name' AS experiment,
           left(snapshot -> 'prompts' ->> 'system_prompt', 300) AS system_prompt,
           (SELECT jsonb_agg(jsonb_build_object('id', (s ->> 'id')::int, 'version', (s ->> 'version')::int))
              FROM jsonb_array_elements(snapshot -> 'genie_spaces') s) AS spaces
      FROM config_history ORDER BY id`);
  return rows;
}

async function readRows(sql: pg.Client): Promise<Rows> {
  const profiles = await sql.query('SELECT id, version, is_default FROM config_profiles');
  const aiInfra = await sql.query('SELECT profile_id, version, llm_max_tokens AS value FROM config_ai_infra');
  const mlflow = await sql.query('SELECT profile_id, version, experiment_name AS value FROM config_mlflow');
  const prompts = await sql.query('SELECT profile_id, version, left(system_prompt, 300) AS value FROM config_prompts');
  const spaces = await sql.query('SELECT id, profile_id, version, is_default FROM config_genie_spaces');
  return { profiles: profiles.rows, domains: { ai_infra: aiInfra.rows, mlflow: mlflow.rows, prompts: prompts.rows }, spaces: spaces.rows };
}

function checkProfilesWhole(entries: Entry[], rows: Rows): string[] {
  const problems: string[] = [];
  const defaults = rows.profiles.filter((profile) => profile.is_default).length;
  if (defaults !== 1) problems.push(`${defaults} default profiles`);
  const firstEntry = new Map<number, Entry>();
  for (const entry of entries) if (!firstEntry.has(entry.key)) firstEntry.set(entry.key, entry);
  for (const { id } of rows.profiles) {
    for (const domain of ROW_DOMAINS) {
      const count = rows.domains[domain].filter((row) => row.profile_id === id).length;
      if (count !== 1) problems.push(`profile ${id} has ${count} ${domain} rows`);
    }
    const first = firstEntry.get(id);
    if (!first || first.domain !== 'profile' || !BIRTHS.includes(first.action)) {
      problems.push(`profile ${id} does not start with its creating entry (first: ${first ? `${first.domain}/${first.action}` : 'none'})`);
    }
    const spaces = rows.spaces.filter((space) => space.profile_id === id);
    if (spaces.length && !spaces.some((space) => space.is_default)) problems.push(`profile ${id} has Genie spaces but no default one`);
  }
  return problems;
}

/**
 * The exact relations between rows and audit entries, given that entries commit in id order and
 * every write locks its profile (FOR SHARE, or FOR UPDATE when it changes the profile row) and the
 * row it changes until commit:
 * - a domain row's version is 1 + its profile's entries of that domain; the snapshot of the n-th
 *   such entry shows version n + 1 (the row was locked from change to commit);
 * - a profile's version moves with each update, set_default and in-place restore of it, and when a
 *   set_default of another profile demotes it (replayed from the promoting entry, in id order; the
 *   demoted profile's own entry, `is_default: true → false`, follows in the same transaction and
 *   moves nothing more); every entry's snapshot shows the profile's version at that point;
 * - a Genie space row's version is the highest any snapshot of its profile shows (the change that
 *   made each version wrote an entry while holding the row).
 */
function checkVersions(entries: Entry[], rows: Rows): { mismatches: string[]; stale: number } {
  const mismatches: string[] = [];
  let stale = 0;
  const domainCount = new Map<string, number>();
  const countKey = (key: number, domain: string) => `${key}/${domain}`;
  const profileVersion = new Map<number, number>();
  let currentDefault: number | undefined;

  for (const entry of entries) {
    replayProfileEntry(entry, profileVersion, () => currentDefault, (id) => (currentDefault = id));
    if (entry.profile_version !== profileVersion.get(entry.key)) {
      mismatches.push(`entry ${entry.id} (${entry.domain}/${entry.action}) shows profile ${entry.key} at version ${entry.profile_version}, its entries say ${profileVersion.get(entry.key)}`);
    }
    if ((ROW_DOMAINS as readonly string[]).includes(entry.domain)) {
      domainCount.set(countKey(entry.key, entry.domain), (domainCount.get(countKey(entry.key, entry.domain)) ?? 0) + 1);
    }
    for (const domain of ROW_DOMAINS) {
      const shown = entry[`${domain}_version`];
      const audited = 1 + (domainCount.get(countKey(entry.key, domain)) ?? 0);
      if (domain === entry.domain && shown !== audited) {
        mismatches.push(`entry ${entry.id} (${domain}/${entry.action}) shows ${domain} version ${shown}, the ${audited - 1}th change of it`);
      } else if (shown !== null && shown > audited) {
        mismatches.push(`entry ${entry.id} shows ${domain} of profile ${entry.key} at version ${shown} before the entry of that change`);
      } else if (shown !== null && shown < audited) {
        stale++;
      }
    }
  }

  for (const profile of rows.profiles) {
    if (profile.version !== profileVersion.get(profile.id)) {
      mismatches.push(`profile ${profile.id} is at version ${profile.version}, its entries account for ${profileVersion.get(profile.id)}`);
    }
    if (profile.is_default !== (profile.id === currentDefault)) {
      mismatches.push(`profile ${profile.id} is_default=${profile.is_default}, the set_default entries say ${currentDefault} is the default`);
    }
  }
  for (const domain of ROW_DOMAINS) {
    for (const row of rows.domains[domain]) {
      const audited = 1 + (domainCount.get(countKey(row.profile_id, domain)) ?? 0);
      if (row.version !== audited) mismatches.push(`${domain} of profile ${row.profile_id} is at version ${row.version} with ${audited - 1} audited changes`);
    }
  }
  mismatches.push(...checkSpaceVersions(entries, rows));
  return { mismatches, stale };
}

function replayProfileEntry(entry: Entry, versions: Map<number, number>, currentDefault: () => number | undefined, setDefault: (id: number) => void): void {
  if (entry.domain !== 'profile') return;
  const bump = (id: number) => versions.set(id, (versions.get(id) ?? Number.NaN) + 1);
  const recreated = entry.action === 'restore' && 'restored_from_entry_id' in entry.changes;
  if ((BIRTHS.includes(entry.action) && entry.action !== 'restore') || recreated) {
    versions.set(entry.key, 1);
    // The database makes the very first profile the default by itself.
    if (currentDefault() === undefined) setDefault(entry.key);
  } else if (entry.action === 'set_default') {
    const { is_default: change } = entry.changes as { is_default?: { new?: unknown } };
    if (change?.new === false) return; // the demoted profile's entry: counted with the promotion
    const demoted = currentDefault();
    if (demoted !== undefined) bump(demoted);
    bump(entry.key);
    setDefault(entry.key);
  } else if (entry.action === 'update' || entry.action === 'restore') {
    bump(entry.key);
  }
}

function checkSpaceVersions(entries: Entry[], rows: Rows): string[] {
  const highest = new Map<number, number>();
  for (const entry of entries) {
    for (const space of entry.spaces ?? []) highest.set(space.id, Math.max(highest.get(space.id) ?? 0, space.version));
  }
  return rows.spaces
    .filter((space) => highest.get(space.id) !== space.version)
    .map((space) => `Genie space ${space.id} of profile ${space.profile_id} is at version ${space.version}, its profile's snapshots show at most ${highest.get(space.id)}`);
}

/** What each answered write must have left: its entries when it succeeded, none when it failed. */
function checkWrites(entries: Entry[], rows: Rows, records: readonly WriteRecord[]): string[] {
  const byRequest = new Map<string, Entry[]>();
  for (const entry of entries) if (entry.request_id) byRequest.set(entry.request_id, [...(byRequest.get(entry.request_id) ?? []), entry]);
  const problems: string[] = [];
  for (const record of records) {
    if (record.status === undefined) continue;
    const found = byRequest.get(record.requestId) ?? [];
    const problem = isSuccess(record.status) ? missingEffect(record, found, entries, rows) : found.length ? `a failed write (${record.status}) left ${found.length} entries` : undefined;
    if (problem) problems.push(`${record.requestId} ${record.kind} ${record.status}: ${problem}`);
  }
  return problems;
}

function missingEffect(record: WriteRecord, found: Entry[], entries: Entry[], rows: Rows): string | undefined {
  const only = (domain: string, action: string) =>
    found.length === 1 && found[0].domain === domain && found[0].action === action ? found[0] : undefined;
  const described = `entries ${JSON.stringify(found.map((entry) => `${entry.domain}/${entry.action}`))}`;
  const bodyId = record.body?.id as number | undefined;
  const profileExists = (id: number) => rows.profiles.some((profile) => profile.id === id);
  const deletedLater = (id: number, after: number) => entries.some((entry) => entry.key === id && entry.action === 'delete' && entry.domain === 'profile' && entry.id > after);

  switch (record.kind) {
    case 'create':
    case 'duplicate':
    case 'import': {
      const entry = only('profile', record.kind);
      if (!entry) return described;
      if (entry.changes.name?.new !== record.value) return `its entry names ${String(entry.changes.name?.new)}`;
      if (bodyId !== undefined && entry.key !== bodyId) return `its entry is of profile ${entry.key}, the answer said ${bodyId}`;
      return profileExists(entry.key) || deletedLater(entry.key, entry.id) ? undefined : `profile ${entry.key} is gone without a delete entry`;
    }
    case 'rename': {
      const entry = only('profile', 'update');
      return entry && entry.changes.name?.new === record.value ? undefined : described;
    }
    case 'delete':
      return only('profile', 'delete') && !profileExists(record.target) ? undefined : `${described}, profile still there: ${profileExists(record.target)}`;
    case 'set-default': {
      // Already the default: none. Else the promoted profile's entry, then the demoted one's (when there was a default).
      const promoted = found.find((entry) => entry.changes.is_default?.new === true);
      const wellMade = found.every((entry) => entry.domain === 'profile' && entry.action === 'set_default') && found.length <= 2 && (found.length === 0 || promoted?.key === record.target);
      return wellMade ? undefined : described;
    }
    case 'ai-infra':
    case 'mlflow':
    case 'prompts':
      return missingDomainWrite(record, found, rows);
    case 'genie-add':
      return only('genie', 'create')?.changes.space_id?.new === record.value ? undefined : described;
    case 'genie-update':
      return only('genie', 'update')?.changes.space_name?.new === record.value ? undefined : described;
    case 'genie-delete':
      return only('genie', 'delete') && !rows.spaces.some((space) => space.id === record.target) ? undefined : described;
    case 'genie-set-default':
      return found.length === 0 || only('genie', 'set_default') ? undefined : described;
    case 'restore':
      if (record.status === 201) {
        const entry = only('profile', 'restore');
        return entry?.changes.restored_from_entry_id?.new === record.target ? undefined : described;
      }
      // In place: one entry per domain that differed, possibly none.
      return found.every((entry) => entry.action === 'restore' && (bodyId === undefined || entry.key === bodyId)) ? undefined : described;
  }
}

/** A PUT's entry shows the value it wrote at the version it answered; the row holds it or moved on. */
function missingDomainWrite(record: WriteRecord, found: Entry[], rows: Rows): string | undefined {
  const domain = record.kind.replace('-', '_') as RowDomain;
  const written = { ai_infra: (entry: Entry) => entry.max_tokens, mlflow: (entry: Entry) => entry.experiment, prompts: (entry: Entry) => entry.system_prompt }[domain];
  const entry = found.length === 1 && found[0].domain === domain && found[0].action === 'update' ? found[0] : undefined;
  if (!entry) return `entries ${JSON.stringify(found.map((e) => `${e.domain}/${e.action}`))}`;
  if (written(entry) !== record.value) return `its entry shows ${String(written(entry))}`;
  const answered = record.body?.version as number | undefined;
  if (answered !== undefined && entry[`${domain}_version`] !== answered) return `its entry shows version ${entry[`${domain}_version`]}, the answer ${answered}`;
  const row = rows.domains[domain].find((candidate) => candidate.profile_id === record.target);
  if (!row || answered === undefined) return undefined; // the profile was deleted since
  if (row.version < answered) return `the row is back at version ${row.version}, the answer said ${answered}`;
  if (row.version === answered && row.value !== record.value) return `the row at version ${answered} holds ${String(row.value)}`;
  return undefined;
}
