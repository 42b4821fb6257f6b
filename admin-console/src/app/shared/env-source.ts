import { Injectable, signal, Signal } from '@angular/core';

/** Where a configuration value comes from (GET /api/config/resolved, per field). */
export type SbValueSource = 'default' | 'database' | 'env';

/**
 * ENVIRONMENT-LOCKED VALUES — waits for `GET /api/config/resolved`.
 *
 * The server is getting an endpoint that reports, per field, whether a value comes from the
 * defaults, the database or an environment variable. Values from the environment cannot be
 * changed here and should be shown locked, with their source. Until that route is in openapi.json
 * (and so in the generated client) this answers "nothing is locked"; the forms already ask it for
 * every field and disable and label the ones it reports, so filling in `lockedFields` with the
 * generated call is the whole change.
 */
@Injectable({ providedIn: 'root' })
export class SbResolvedSources {
  private readonly none = signal<ReadonlyMap<string, SbValueSource>>(new Map());

  /** Fields of `domain` whose value the environment sets, for the given profile. */
  lockedFields(_profileId: number, _domain: 'ai_infra' | 'mlflow' | 'prompts' | 'genie'): Signal<ReadonlyMap<string, SbValueSource>> {
    return this.none;
  }
}
