import { ConfigHistoryEntryDto, DomainDto, ProfileDifferencesDto } from '../api/models';

/** The built-in domains (entries may also name the prompt library or a registered domain). */
export type SbDomain = 'profile' | 'ai_infra' | 'genie' | 'mlflow' | 'prompts';
export type SbAction = ConfigHistoryEntryDto['action'];

export const DOMAINS: readonly SbDomain[] = ['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'];
export const ACTIONS: readonly SbAction[] = ['create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import', 'inherit'];

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
  inherit: 'Inherited',
};

/** The profile row is no domain and has no schema: its fields' names for people. */
const PROFILE_FIELD_LABELS: Partial<Record<string, string>> = { name: 'Name', description: 'Description', is_default: 'Default', session_id: 'Session' };
/** History names the Genie spaces `genie`; the domain registry, `genie_spaces`. */
const REGISTRY_NAMES: Partial<Record<string, string>> = { genie: 'genie_spaces' };

/** The domains as GET /api/config/domains lists them (SbDomainCatalog): their titles and schemas name things. */
export type SbDomainList = readonly Pick<DomainDto, 'name' | 'title' | 'schema'>[];

/** One changed field: what it was (or is on the left) and what it became (or is on the right). */
export interface SbChangeRow {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
}

/** A history entry's `changes` ({field: {old, new}}) as rows; anything else is shown as the new value. */
export function historyChanges(entry: ConfigHistoryEntryDto, domains: SbDomainList): SbChangeRow[] {
  return Object.entries(entry.changes ?? {}).map(([field, change]) => {
    const pair = change as { old?: unknown; new?: unknown } | null;
    const isPair = !!pair && typeof pair === 'object' && ('old' in pair || 'new' in pair);
    const [before, after] = isPair ? [pair.old ?? null, pair.new ?? null] : [null, change];
    return { field, label: fieldLabel(entry.domain, field, domains), before: shownValue(entry.domain, before), after: shownValue(entry.domain, after) };
  });
}

/** A domain's name for people: the built-in ones' labels, a registered one's title, else its name (deleted since). */
export function domainLabelOf(domain: string, domains: SbDomainList): string {
  return (DOMAIN_LABELS as Partial<Record<string, string>>)[domain] ?? domains.find((known) => known.name === domain)?.title ?? domain;
}

/** The differing fields of one domain of a comparison ({field: {left, right}}) as rows. */
export function comparisonRows(differences: ProfileDifferencesDto, domain: string, domains: SbDomainList): SbChangeRow[] {
  const pairs = (differences as unknown as Partial<Record<string, Record<string, { left?: unknown; right?: unknown } | null>>>)[domain];
  return Object.entries(pairs ?? {}).map(([field, pair]) => ({
    field,
    label: fieldLabel(domain, field, domains),
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
 * A field as people read it: the `title` its domain's JSON Schema gives it (built-in and registered
 * domains alike; `a.b` walks nested objects). Genie spaces are matched by space_id:
 * "<space_id>.<field>", or "<space_id>" for a whole space. A field without a title keeps its name.
 */
export function fieldLabel(domain: string, field: string, domains: SbDomainList): string {
  if (domain === 'profile') return PROFILE_FIELD_LABELS[field] ?? field;
  const schema = domains.find((known) => known.name === (REGISTRY_NAMES[domain] ?? domain))?.schema;
  const match = domain === 'genie' ? /^([0-9a-fA-F]{32})(?:\.(.+))?$/.exec(field) : null;
  if (match) {
    const space = `Space ${match[1]!.slice(0, 8)}…`;
    return match[2] ? `${space} · ${titleAt(schema?.['items'], match[2]) ?? match[2]}` : space;
  }
  return titleAt(schema, field) ?? field;
}

/** The title of the property at `path` (dot-separated) of an object schema, if it has one. */
function titleAt(schema: unknown, path: string): string | undefined {
  let node = schema;
  for (const key of path.split('.')) node = (node as { properties?: Record<string, unknown> } | undefined)?.properties?.[key];
  const title = (node as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' ? title : undefined;
}

/** The title some domain's schema gives a top-level field of this name (a snackbar does not know the domain). */
export function labelFromSchemas(domains: SbDomainList, field: string): string | undefined {
  for (const domain of domains) {
    const title = titleAt(domain.schema, field) ?? titleAt(domain.schema?.['items'], field);
    if (title) return title;
  }
  return undefined;
}
