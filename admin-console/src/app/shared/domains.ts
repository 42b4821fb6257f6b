import { ConfigHistoryEntryDto, ProfileDifferencesDto } from '../api/models';

/** The built-in domains (entries may also name the prompt library or a registered domain). */
export type SbDomain = 'profile' | 'ai_infra' | 'genie' | 'mlflow' | 'prompts';
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

/** A domain's name for people: the built-in ones' labels, else the name itself (a registered domain). */
export function domainLabelOf(domain: string): string {
  return (DOMAIN_LABELS as Partial<Record<string, string>>)[domain] ?? domain;
}

/** The differing fields of one domain of a comparison ({field: {left, right}}) as rows. */
export function comparisonRows(differences: ProfileDifferencesDto, domain: string): SbChangeRow[] {
  const pairs = (differences as unknown as Partial<Record<string, Record<string, { left?: unknown; right?: unknown } | null>>>)[domain];
  return Object.entries(pairs ?? {}).map(([field, pair]) => ({
    field,
    label: fieldLabel(domain, field),
    before: pair?.left ?? null,
    after: pair?.right ?? null,
  }));
}

/** Genie spaces are matched by space_id: "<space_id>.<field>", or "<space_id>" for a whole space. */
export function fieldLabel(domain: string, field: string): string {
  if (domain !== 'genie') return field;
  const match = /^([0-9a-fA-F]{32})(?:\.(.+))?$/.exec(field);
  if (!match) return field;
  return match[2] ? `space ${match[1]} · ${match[2]}` : `space ${match[1]}`;
}
