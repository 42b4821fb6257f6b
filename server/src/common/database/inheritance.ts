import { isDeepStrictEqual } from 'node:util';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { type BuiltInConfigDomain, ConfigChangedEvent, type FieldChanges, emitConfigChanged } from '../events/config-events.js';
import { AI_INFRA_FIELDS } from '../../ai-infra/dto/ai-infra.dto.js';
import { genieSpaceChanges, type GenieSpaceValues } from '../../genie/genie-space-diff.js';
import { PROMPT_FIELDS } from '../../prompts/prompt-template.validator.js';

/**
 * The built-in one-row domains a profile inherits from its parent, field by field, with their
 * tables; registered domains inherit by top-level key (config_domain_values). The database keeps
 * inherited values equal to the parent's (ProfileInheritance migration); this module says whom a
 * change reached, for the audit, and where each inherited value comes from, for readers.
 */
export const INHERITING_DOMAINS = {
  ai_infra: { table: 'config_ai_infra', fields: AI_INFRA_FIELDS },
  mlflow: { table: 'config_mlflow', fields: ['experiment_name'] },
  prompts: { table: 'config_prompts', fields: PROMPT_FIELDS },
} as const satisfies Partial<Record<BuiltInConfigDomain, { table: string; fields: readonly string[] }>>;

export type InheritingDomain = keyof typeof INHERITING_DOMAINS;
/** The registry's domain in the history (PromptRegistryService's PROMPT_REGISTRY_DOMAIN); its prompts are inherited by name. */
const PROMPT_REGISTRY = 'prompt_registry';
const DOMAINS = Object.keys(INHERITING_DOMAINS) as InheritingDomain[];

type Row = Record<string, unknown> & { inherited: string[] };
/** A profile's values of a registered domain: as stored (secrets sealed), and as the audit shows them. */
interface RegisteredRow {
  values: Record<string, unknown>;
  shown: Record<string, unknown>;
}

/** A prompt of the registry as far as the audit of an inherited change tells it. */
interface RegistryPromptState {
  description: string;
  variables: unknown[];
  version: number;
  /** The latest version's text: a prompt taking another's place may have the same number of versions. */
  template: string;
  labels: Record<string, number>;
}

/** A profile under the one changing, with its values as they stand: compared before and after. */
interface Inheritor {
  id: number;
  name: string;
  rows: Record<InheritingDomain, Row>;
  registered: Record<string, RegisteredRow> | null;
  genie: GenieSpaceValues[] | null;
  registry: Record<string, RegistryPromptState> | null;
}

/** The profiles under `profileId` (and with `self`, it too) as they stood before a change. */
export interface Inheritors {
  profileId: number;
  self: boolean;
  profiles: Inheritor[];
}

/**
 * The profiles that inherit from `profileId`, nearest first (and with `self`, the profile itself
 * first), with their rows of each inheriting domain: one statement.
 */
export async function readInheritors(manager: EntityManager, profileId: number, self = false): Promise<Inheritors> {
  return { profileId, self, profiles: await readTree(manager, profileId, self) };
}

async function readTree(manager: EntityManager, profileId: number, self: boolean): Promise<Inheritor[]> {
  const rows: (Omit<Inheritor, 'rows'> & Record<InheritingDomain, Row>)[] = await manager.query(
    `WITH RECURSIVE tree (id, name, depth) AS (
       SELECT id, name, 0 FROM config_profiles WHERE id = $1
       UNION ALL
       SELECT p.id, p.name, tree.depth + 1 FROM config_profiles p JOIN tree ON p.parent_profile_id = tree.id WHERE tree.depth < 10
     )
     SELECT t.id, t.name, ${DOMAINS.map((domain) => `to_jsonb(${domain}) AS ${domain}`).join(', ')},
            (SELECT jsonb_object_agg(v.domain, jsonb_build_object('values', v."values", 'shown', fn_conceal_secrets(v."values")))
               FROM config_domain_values v WHERE v.profile_id = t.id) AS registered,
            (SELECT jsonb_agg(jsonb_build_object('space_id', g.space_id, 'space_name', g.space_name, 'description', g.description, 'is_default', g.is_default)
                              ORDER BY g.space_id)
               FROM config_genie_spaces g WHERE g.profile_id = t.id) AS genie,
            (SELECT jsonb_object_agg(r.name, jsonb_build_object('description', r.description, 'variables', r.variables, 'version', r.latest_version,
                      'template', (SELECT v.template FROM config_registry_prompt_versions v WHERE v.prompt_id = r.id AND v.version = r.latest_version),
                      'labels', (SELECT coalesce(jsonb_object_agg(l.label, l.version), '{}') FROM config_registry_prompt_labels l WHERE l.prompt_id = r.id)))
               FROM config_registry_prompts r WHERE r.profile_id = t.id) AS registry
       FROM tree t ${DOMAINS.map((domain) => `LEFT JOIN ${INHERITING_DOMAINS[domain].table} ${domain} ON ${domain}.profile_id = t.id`).join(' ')}
      WHERE t.depth > 0 OR $2
      ORDER BY t.depth, t.id`,
    [profileId, self],
  );
  return rows.map(({ id, name, registered, genie, registry, ...rows }) => ({ id, name, rows, registered, genie, registry }));
}

/**
 * After a change that may have passed down (a write, a re-parenting), gives every profile of
 * `before` whose values moved one audit entry per domain, action `inherit`, with the changed
 * fields: its history shows what reached it, and its agents hear of it.
 */
export async function auditInherited(manager: EntityManager, events: EventEmitter2, before: Inheritors | undefined, actor: string): Promise<void> {
  if (!before?.profiles.length) return;
  const after = new Map((await readTree(manager, before.profileId, before.self)).map((inheritor) => [inheritor.id, inheritor]));
  for (const { id, name, rows, registered, genie, registry } of before.profiles) {
    const now = after.get(id);
    if (!now) continue;
    const emit = async (domain: string, changes: FieldChanges, item?: string) => {
      if (Object.keys(changes).length) await emitConfigChanged(events, new ConfigChangedEvent(manager, id, name, domain, 'inherit', actor, changes, undefined, item));
    };
    for (const domain of DOMAINS) {
      const changes: FieldChanges = {};
      for (const field of INHERITING_DOMAINS[domain].fields) {
        const old = rows[domain]?.[field];
        const value = now.rows[domain]?.[field];
        if (!isDeepStrictEqual(old, value)) changes[field] = { old, new: value };
      }
      await emit(domain, changes);
    }
    for (const domain of new Set([...Object.keys(registered ?? {}), ...Object.keys(now.registered ?? {})])) {
      await emit(domain, registeredChanges(registered?.[domain], now.registered?.[domain]));
    }
    await emit('genie', genieSpaceChanges(genie ?? [], now.genie ?? []));
    for (const prompt of new Set([...Object.keys(registry ?? {}), ...Object.keys(now.registry ?? {})])) {
      await emit(PROMPT_REGISTRY, promptChanges(prompt, registry?.[prompt], now.registry?.[prompt]), prompt);
    }
  }
}

/**
 * A prompt that came or went as a whole (`<name>`), or what moved of it, keyed as the registry's
 * own entries key it (`<name>.version`, `<name>.labels.<label>`, …): history's restore reads both.
 */
function promptChanges(name: string, before: RegistryPromptState | undefined, after: RegistryPromptState | undefined): FieldChanges {
  if (!before || !after) return before || after ? { [name]: { old: before ?? null, new: after ?? null } } : {};
  const changes: FieldChanges = {};
  for (const field of ['description', 'variables', 'version', 'template'] as const) {
    if (!isDeepStrictEqual(before[field], after[field])) changes[`${name}.${field}`] = { old: before[field], new: after[field] };
  }
  for (const label of new Set([...Object.keys(before.labels), ...Object.keys(after.labels)])) {
    if (before.labels[label] !== after.labels[label]) changes[`${name}.labels.${label}`] = { old: before.labels[label] ?? null, new: after.labels[label] ?? null };
  }
  return changes;
}

/** Top-level keys whose stored values differ, shown as the audit keeps them (secrets as {"set": true}); a removed key as `new: null`. */
function registeredChanges(before: RegisteredRow | undefined, after: RegisteredRow | undefined): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(before?.values ?? {}), ...Object.keys(after?.values ?? {})])) {
    if (!isDeepStrictEqual(before?.values[key], after?.values[key])) changes[key] = { old: before?.shown[key] ?? null, new: after?.shown[key] ?? null };
  }
  return changes;
}

/**
 * For a profile with a parent: the parent's name, and each inherited field, by domain, with the
 * name of the nearest ancestor that sets it itself; Genie spaces by space_id and registry prompts by
 * name likewise. One statement over the chain (at most five profiles).
 */
export async function inheritanceOf(manager: EntityManager, profileId: number): Promise<{ parentName: string | null; sources: Record<string, Record<string, string>> }> {
  const rows: ({ name: string; registered: Record<string, string[]> | null } & Record<InheritingDomain | 'genie' | typeof PROMPT_REGISTRY, string[] | null>)[] = await manager.query(
    `WITH RECURSIVE chain (id, name, parent, depth) AS (
       SELECT id, name, parent_profile_id, 0 FROM config_profiles WHERE id = $1
       UNION ALL
       SELECT p.id, p.name, p.parent_profile_id, chain.depth + 1 FROM config_profiles p JOIN chain ON p.id = chain.parent WHERE chain.depth < 10
     )
     SELECT c.name, ${DOMAINS.map((domain) => `${domain}.inherited AS ${domain}`).join(', ')},
            (SELECT jsonb_object_agg(v.domain, v.inherited) FROM config_domain_values v WHERE v.profile_id = c.id) AS registered,
            ARRAY(SELECT g.space_id FROM config_genie_spaces g WHERE g.profile_id = c.id AND g.inherited) AS genie,
            ARRAY(SELECT r.name FROM config_registry_prompts r WHERE r.profile_id = c.id AND r.inherited) AS ${PROMPT_REGISTRY}
       FROM chain c ${DOMAINS.map((domain) => `LEFT JOIN ${INHERITING_DOMAINS[domain].table} ${domain} ON ${domain}.profile_id = c.id`).join(' ')}
      ORDER BY c.depth`,
    [profileId],
  );
  // Each profile of the chain, nearest first, with the fields it inherits by domain.
  const chain = rows.map(({ name, registered, ...builtIn }) => ({ name, inherits: { ...registered, ...builtIn } as Record<string, string[] | null> }));
  const sources: Record<string, Record<string, string>> = {};
  for (const [domain, fields] of Object.entries(chain[0]?.inherits ?? {})) {
    for (const field of fields ?? []) {
      // The first profile up the chain that does not inherit the field sets it.
      const source = chain.slice(1).find((profile) => !(profile.inherits[domain] ?? []).includes(field));
      if (source) (sources[domain] ??= {})[field] = source.name;
    }
  }
  return { parentName: chain[1]?.name ?? null, sources };
}
