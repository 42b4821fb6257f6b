import { inject, Injectable, signal } from '@angular/core';
import { catchError, EMPTY, filter } from 'rxjs';

import { DomainDto } from '../api/models';
import { DomainsService } from '../api/services';
import { SbLiveChanges } from './live-changes';

/**
 * The domains the server knows (built-in and registered) with their JSON Schemas: what History,
 * Compare and the restore dialog name fields and domains by. Read on first use, and again when a
 * domain is registered, changed or removed anywhere.
 */
@Injectable({ providedIn: 'root' })
export class SbDomainCatalog {
  private readonly api = inject(DomainsService);
  private readonly domainsSignal = signal<DomainDto[]>([]);
  private requested = false;

  /** The list (empty until read: labels then fall back to names); the first call reads it. */
  domains(): readonly DomainDto[] {
    this.ensureLoaded();
    return this.domainsSignal();
  }

  constructor() {
    inject(SbLiveChanges)
      .changes.pipe(filter((change) => change.profile_id === null && this.requested)) // a registry change belongs to no profile
      .subscribe(() => this.load());
  }

  private ensureLoaded(): void {
    if (this.requested) return;
    this.requested = true;
    this.load();
  }

  private load(): void {
    this.api
      .listDomains()
      // A failure is the interceptor's snackbar; labels fall back to names until a registry change reads it again.
      .pipe(catchError(() => EMPTY))
      .subscribe((domains) => this.domainsSignal.set(domains));
  }
}
