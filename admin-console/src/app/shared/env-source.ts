import { computed, inject, Injectable, Signal, signal, WritableSignal } from '@angular/core';

import { ResolvedConfigDto } from '../api/models';
import { ResolvedService } from '../api/services';

/** Where a configuration value comes from (GET /api/config/resolved, per field); `profile:<name>`: inherited from that ancestor. */
export type SbValueSource = 'default' | 'database' | 'env' | `profile:${string}`;

/** A domain as the console's tabs name it: a built-in one, or any registered domain by its name. */
export type SbLockableDomain = 'ai_infra' | 'mlflow' | 'prompts' | 'genie' | (string & {});

/** A field the environment sets: the database value the console shows is not the one in effect. */
export interface SbEnvLock {
  field: string;
  source: SbValueSource;
  /** The variable that sets it: SWITCHBOARD__<DOMAIN>__<FIELD>. */
  variable: string;
  /** The value agents actually get (from `resolved`). */
  effective: unknown;
}

export type SbEnvLocks = ReadonlyMap<string, SbEnvLock>;

/** The key of `resolved` (and of its `sources`) and the variable's domain part, per console domain. */
const BUILT_IN_KEYS: Record<string, { key: string; env: string }> = {
  ai_infra: { key: 'ai_infra', env: 'AI_INFRA' },
  genie: { key: 'genie_space', env: 'GENIE' },
  mlflow: { key: 'mlflow', env: 'MLFLOW' },
  prompts: { key: 'prompts', env: 'PROMPTS' },
};

/** A registered domain sits in `resolved` under its own name, and its variables use that name in capitals. */
function resolvedKeys(domain: SbLockableDomain): { key: string; env: string } {
  return BUILT_IN_KEYS[domain] ?? { key: domain, env: domain.toUpperCase() };
}

/** The environment variable that overrides `field` of `domain`. */
export function envVariable(domain: SbLockableDomain, field: string): string {
  return `SWITCHBOARD__${resolvedKeys(domain).env}__${field.toUpperCase()}`;
}

/** The fields of `domain` whose source is the environment, with their effective values. */
export function envLocks(resolved: ResolvedConfigDto | null, domain: SbLockableDomain): SbEnvLocks {
  const locks = new Map<string, SbEnvLock>();
  if (!resolved) return locks;
  const { key } = resolvedKeys(domain);
  const body = resolved as unknown as Record<string, Record<string, unknown> | undefined>;
  const sources = (resolved.sources as unknown as Record<string, Record<string, SbValueSource> | undefined>)?.[key] ?? {};
  const values = body[key] ?? {};
  for (const [field, source] of Object.entries(sources)) {
    if (source === 'env') locks.set(field, { field, source, variable: envVariable(domain, field), effective: values[field] ?? null });
  }
  return locks;
}

/**
 * ENVIRONMENT-LOCKED VALUES, from `GET /api/config/resolved?profile_id=`.
 *
 * The server resolves each value as environment > database > default and says which one won.
 * A value from the environment cannot be changed here: the forms show it locked, with the
 * variable's name and the value in effect. One answer per profile is kept, shared by the tabs,
 * and asked again after every save or restore (`refresh`).
 */
@Injectable({ providedIn: 'root' })
export class SbResolvedSources {
  private readonly api = inject(ResolvedService);
  private readonly byProfile = new Map<number, WritableSignal<ResolvedConfigDto | null>>();

  /** The resolved configuration of a profile as last fetched (null until `refresh` brings it). */
  resolved(profileId: number): Signal<ResolvedConfigDto | null> {
    return this.entry(profileId).asReadonly();
  }

  /** Fields of `domain` whose value the environment sets, for the given profile. */
  lockedFields(profileId: number, domain: SbLockableDomain): Signal<SbEnvLocks> {
    const resolved = this.resolved(profileId);
    // Equal locks are the same value: asking again after a save changes nothing downstream.
    return computed(() => envLocks(resolved(), domain), { equal: sameLocks });
  }

  /** Asks the server (when a tab loads, and after a save or a restore: the effective values may change). */
  refresh(profileId: number): void {
    const entry = this.entry(profileId);
    // A failure is the interceptor's snackbar; the last answer stays (an error unlocks nothing).
    this.api.getResolvedConfig({ profile_id: profileId }).subscribe({ next: (resolved) => entry.set(resolved), error: () => undefined });
  }

  private entry(profileId: number): WritableSignal<ResolvedConfigDto | null> {
    let entry = this.byProfile.get(profileId);
    if (!entry) {
      entry = signal<ResolvedConfigDto | null>(null);
      this.byProfile.set(profileId, entry);
    }
    return entry;
  }
}

function sameLocks(a: SbEnvLocks, b: SbEnvLocks): boolean {
  if (a.size !== b.size) return false;
  for (const [field, lock] of a) {
    const other = b.get(field);
    if (!other || other.variable !== lock.variable || JSON.stringify(other.effective) !== JSON.stringify(lock.effective)) return false;
  }
  return true;
}
