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

/** Built-in fields as the forms name them; registered domains' fields keep their names. */
const FIELD_LABELS: Partial<Record<string, Record<string, string>>> = {
  profile: { name: 'Name', description: 'Description', is_default: 'Default', session_id: 'Session' },
  ai_infra: {
    llm_endpoint: 'Serving endpoint',
    llm_temperature: 'Temperature',
    llm_max_tokens: 'Max tokens',
    llm_top_p: 'Top p',
    llm_timeout_seconds: 'Timeout (seconds)',
  },
  genie: { space_id: 'Space id', space_name: 'Name', description: 'Description', is_default: 'Default' },
  mlflow: { experiment_name: 'Experiment' },
  prompts: { system_prompt: 'System prompt', slide_editing_instructions: 'Slide editing instructions', user_prompt_template: 'User prompt template' },
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
    const [before, after] = isPair ? [pair.old ?? null, pair.new ?? null] : [null, change];
    return { field, label: fieldLabel(entry.domain, field), before: shownValue(entry.domain, before), after: shownValue(entry.domain, after) };
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
    before: shownValue(domain, pair?.left ?? null),
    after: shownValue(domain, pair?.right ?? null),
  }));
}

/** A whole Genie space as people read it, not as JSON; any other value as it is. */
function shownValue(domain: string, value: unknown): unknown {
  if (domain !== 'genie' || !value || typeof value !== 'object' || !('space_id' in value)) return value;
  const space = value as { space_id: string; space_name?: string; description?: string | null; is_default?: boolean };
  const head = `“${space.space_name ?? ''}” (space ${space.space_id}${space.is_default ? ', the default' : ''})`;
  return space.description ? `${head}\n${space.description}` : head;
}

/**
 * A field as people read it: the built-in forms' labels; Genie spaces are matched by space_id:
 * "<space_id>.<field>", or "<space_id>" for a whole space. Anything else keeps its name.
 */
export function fieldLabel(domain: string, field: string): string {
  const match = domain === 'genie' ? /^([0-9a-fA-F]{32})(?:\.(.+))?$/.exec(field) : null;
  if (match) return match[2] ? `Space ${match[1].slice(0, 8)}… · ${FIELD_LABELS['genie']?.[match[2]] ?? match[2]}` : `Space ${match[1].slice(0, 8)}…`;
  return FIELD_LABELS[domain]?.[field] ?? field;
}
