import { ConfigHistoryEntryDto, ProfileDifferencesDto } from '../api/models';

export type SbDomain = ConfigHistoryEntryDto['domain'];
export type SbAction = ConfigHistoryEntryDto['action'];

export const DOMAINS: readonly SbDomain[] = ['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'];
export const ACTIONS: readonly SbAction[] = ['create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import'];

export const DOMAIN_LABELS: Record<SbDomain, string> = {
  profile: 'Name and description',
  ai_infra: 'AI infrastructure',
  genie: 'Genie spaces',
  mlflow: 'MLflow',
  prompts: 'Prompts',
};

export const ACTION_LABELS: Record<SbAction, string> = {
  create: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  set_default: 'Set default',
  duplicate: 'Duplicated',
  load: 'Loaded',
  restore: 'Restored',
  import: 'Imported',
};

/** One changed field: what it was (or is on the left) and what it became (or is on the right). */
export interface SbChangeRow {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
}

/** A history entry's `changes` ({field: {old, new}}) as rows; anything else is shown as the new value. */
export function historyChanges(entry: ConfigHistoryEntryDto): SbChangeRow[] {
  return Object.entries(entry.changes ?? {}).map(([field, change]) => {
    const pair = change as { old?: unknown; new?: unknown } | null;
    const isPair = !!pair && typeof pair === 'object' && ('old' in pair || 'new' in pair);
    return { field, label: fieldLabel(entry.domain, field), before: isPair ? (pair.old ?? null) : null, after: isPair ? (pair.new ?? null) : change };
  });
}

/** The differing fields of one domain of a comparison ({field: {left, right}}) as rows. */
export function comparisonRows(differences: ProfileDifferencesDto, domain: SbDomain): SbChangeRow[] {
  return Object.entries(differences[domain] ?? {}).map(([field, pair]) => ({
    field,
    label: fieldLabel(domain, field),
    before: pair?.left ?? null,
    after: pair?.right ?? null,
  }));
}

/** Genie spaces are matched by space_id: "<space_id>.<field>", or "<space_id>" for a whole space. */
export function fieldLabel(domain: SbDomain, field: string): string {
  if (domain !== 'genie') return field;
  const match = /^([0-9a-fA-F]{32})(?:\.(.+))?$/.exec(field);
  if (!match) return field;
  return match[2] ? `space ${match[1]} · ${match[2]}` : `space ${match[1]}`;
}
