/**
 * The backup file: gzip of JSON lines.
 *
 *   {"@header": {format, format_version, schema, created_at, …}}
 *   {"@table": {name, columns, rows}}        then `rows` lines, each one row as PostgreSQL's row_to_json wrote it
 *   …                                       one section per table of BACKUP_TABLES, in that order
 *   {"@sequences": [{name, last_value, is_called}, …]}
 *   {"@end": {rows, sha256}}                sha256 of every byte before this line
 *
 * Rows are never parsed in JavaScript: their text goes from row_to_json to json_populate_recordset,
 * so numerics, timestamps and the key order of `json` columns come back exactly. Control lines
 * start with `{"@`, which no row can (no column name starts with @).
 */
export const BACKUP_FORMAT = 'switchboard-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_MEDIA_TYPE = 'application/gzip';
export const CONTROL_PREFIX = '{"@';

/**
 * Every table that holds state, parents before children, each with the order its rows are written
 * in (the primary key). typeorm_migrations is not here: the header names the schema instead.
 */
export const BACKUP_TABLES: readonly { name: string; orderBy: string }[] = [
  { name: 'config_domains', orderBy: 'name' },
  { name: 'config_profiles', orderBy: 'id' },
  { name: 'profile_rollouts', orderBy: 'profile_id' },
  { name: 'config_ai_infra', orderBy: 'id' },
  { name: 'config_mlflow', orderBy: 'id' },
  { name: 'config_prompts', orderBy: 'id' },
  { name: 'config_genie_spaces', orderBy: 'id' },
  { name: 'config_domain_values', orderBy: 'id' },
  { name: 'config_registry_prompts', orderBy: 'id' },
  { name: 'config_registry_prompt_versions', orderBy: 'prompt_id, version' },
  { name: 'config_registry_prompt_labels', orderBy: 'prompt_id, label' },
  { name: 'agent_sessions', orderBy: 'id' },
  { name: 'agent_messages', orderBy: 'id' },
  { name: 'api_tokens', orderBy: 'id' },
  { name: 'profile_grants', orderBy: 'id' },
  { name: 'config_presets', orderBy: 'id' },
  { name: 'config_schedules', orderBy: 'id' },
  { name: 'config_approval_rules', orderBy: 'profile_id' },
  { name: 'config_change_requests', orderBy: 'id' },
  { name: 'config_history', orderBy: 'id' },
];

/**
 * Tables that are deliberately not backed up: the schema's own record, running instances' state
 * (they register again), and LLM probes (one vouches for minutes; a restored database probes afresh).
 */
export const TABLES_NOT_BACKED_UP: ReadonlySet<string> = new Set(['typeorm_migrations', 'switchboard_instances', 'config_change_applied', 'llm_probes']);

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  /** The newest migration of the database it was made from: a restore needs the same. */
  schema: string;
  created_at: string;
  switchboard_version: string;
  /** Which SWITCHBOARD_SECRET_KEY encrypted the secrets in it (a fingerprint, never the key), or null. */
  secret_key_id: string | null;
  /** How many domain-value rows hold encrypted secrets: those need the same key to be read. */
  encrypted_value_rows: number;
}

export interface TableSection {
  name: string;
  columns: string[];
  rows: number;
}

export interface SequenceState {
  name: string;
  /** As text: a bigint. */
  last_value: string;
  is_called: boolean;
}

export interface BackupEnd {
  rows: number;
  sha256: string;
}

export type ControlLine = { '@header': BackupHeader } | { '@table': TableSection } | { '@sequences': SequenceState[] } | { '@end': BackupEnd };

export function controlLine(line: ControlLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** What a restore reports, and what `--dry-run` would restore. */
export interface RestoreReport {
  dry_run: boolean;
  /** Whether existing contents were (or would be) replaced: force was needed. */
  replaced_existing: boolean;
  backup: Pick<BackupHeader, 'schema' | 'created_at' | 'switchboard_version'>;
  tables: Record<string, number>;
  rows: number;
  /** Schedules the backup held as pending whose time had passed: marked failed, not run late (see restoreBackup). */
  missed_schedules: number;
  duration_ms: number;
}

/** Progress of a backup or restore: a table begins (with its row count), then rows go by. */
export interface BackupProgress {
  table(name: string, rows: number): void;
  rows(count: number): void;
}

export const NO_PROGRESS: BackupProgress = { table: () => undefined, rows: () => undefined };
