import type pg from 'pg';

export interface StoredHistoryEntry {
  id: number;
  profile_id: number | null;
  profile_name: string;
  domain: string;
  action: string;
  changed_by: string;
  changes: Record<string, { old: unknown; new: unknown }>;
}

interface DocumentLike {
  name: string;
  description?: string | null;
  ai_infra: object;
  genie_spaces: { space_id: string; space_name: string; description?: string | null; is_default?: boolean }[];
  mlflow: object;
  prompts: object;
  /** Registered domains' values by name (format_version 2). */
  domains?: Record<string, object>;
  /** The prompt registry, every version oldest first (format_version 3). */
  prompt_registry?: object[];
}

/** A profile as its rows hold it, in the shape of an export's `profile` (spaces ordered by space_id). */
export async function storedDocument(sql: pg.Client, profileId: number): Promise<DocumentLike> {
  const one = async (text: string) => (await sql.query(text, [profileId])).rows[0];
  const profile = await one('SELECT name, description FROM config_profiles WHERE id = $1');
  return {
    ...profile,
    ai_infra: await one(
      `SELECT llm_endpoint, llm_temperature::float8 AS llm_temperature, llm_max_tokens, llm_top_p::float8 AS llm_top_p, llm_timeout_seconds, require_probe
         FROM config_ai_infra WHERE profile_id = $1`,
    ),
    genie_spaces: (
      await sql.query('SELECT space_id, space_name, description, is_default FROM config_genie_spaces WHERE profile_id = $1 ORDER BY space_id', [profileId])
    ).rows,
    mlflow: await one('SELECT experiment_name FROM config_mlflow WHERE profile_id = $1'),
    prompts: await one('SELECT system_prompt, slide_editing_instructions, user_prompt_template FROM config_prompts WHERE profile_id = $1'),
    domains: Object.fromEntries(
      (await sql.query('SELECT domain, "values" FROM config_domain_values WHERE profile_id = $1 ORDER BY domain', [profileId])).rows.map((row) => [row.domain, row.values]),
    ),
    prompt_registry: await storedPrompts(sql, profileId),
  };
}

async function storedPrompts(sql: pg.Client, profileId: number): Promise<object[]> {
  const prompts = (await sql.query('SELECT id, name, description, variables FROM config_registry_prompts WHERE profile_id = $1 ORDER BY name', [profileId])).rows;
  const result: object[] = [];
  for (const { id, ...prompt } of prompts) {
    const versions = (await sql.query('SELECT template, model_parameters, message FROM config_registry_prompt_versions WHERE prompt_id = $1 ORDER BY version', [id])).rows;
    const labels = (await sql.query('SELECT label, version FROM config_registry_prompt_labels WHERE prompt_id = $1', [id])).rows;
    result.push({ ...prompt, labels: Object.fromEntries(labels.map((row) => [row.label, row.version])), versions });
  }
  return result;
}

/** An export's `profile` in the shape `storedDocument` reads back. */
export function asStored(document: DocumentLike): DocumentLike {
  return {
    ...document,
    description: document.description ?? null,
    genie_spaces: [...document.genie_spaces]
      .map((space) => ({ ...space, description: space.description ?? null, is_default: space.is_default ?? false }))
      .sort((a, b) => a.space_id.localeCompare(b.space_id)),
  };
}

export async function countRows(sql: pg.Client, from: string, values: unknown[] = []): Promise<number> {
  return (await sql.query(`SELECT count(*)::int AS n FROM ${from}`, values)).rows[0].n;
}

export async function lastHistoryId(sql: pg.Client): Promise<number> {
  return Number((await sql.query('SELECT coalesce(max(id), 0) AS id FROM config_history')).rows[0].id);
}

/** The audit entries written after `afterId`, oldest first. */
export async function historyAfter(sql: pg.Client, afterId: number): Promise<StoredHistoryEntry[]> {
  const { rows } = await sql.query(
    'SELECT id, profile_id, profile_name, domain, action, changed_by, changes FROM config_history WHERE id > $1 ORDER BY id',
    [afterId],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
