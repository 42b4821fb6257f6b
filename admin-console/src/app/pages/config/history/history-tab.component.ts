import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

import { ConfigHistoryEntryDto } from '../../../api/models';
import { HistoryService } from '../../../api/services';
import { ListProfileHistory$Params } from '../../../api/fn/history/list-profile-history';
import { SbStateComponent } from '../../../shared/state.component';

type Domain = NonNullable<ListProfileHistory$Params['domain']>;

/** The cursor of a `Link: <…?cursor=…>; rel="next"` header. */
export function nextCursor(link: string | null): string | null {
  const next = link?.split(',').find((part) => /rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return null;
  return new URL(url, 'http://x').searchParams.get('cursor');
}

/** The profile's audited changes, newest first, by domain. */
@Component({
  selector: 'sb-history-tab',
  imports: [JsonPipe, FormsModule, MatButtonModule, MatFormFieldModule, MatSelectModule, SbStateComponent],
  templateUrl: './history-tab.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbHistoryTabComponent {
  readonly profileId = input.required({ transform: numberAttribute });
  private readonly api = inject(HistoryService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly domains: Domain[] = ['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'];
  protected readonly domain = signal<Domain | null>(null);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly entries = signal<ConfigHistoryEntryDto[]>([]);
  protected readonly cursor = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.profileId();
      const domain = this.domain();
      untracked(() => this.load(id, domain, null));
    });
  }

  protected reload(): void {
    this.load(this.profileId(), this.domain(), null);
  }

  protected more(): void {
    this.load(this.profileId(), this.domain(), this.cursor());
  }

  protected changes(entry: ConfigHistoryEntryDto): { field: string; old: unknown; new: unknown }[] {
    return Object.entries(entry.changes ?? {}).map(([field, change]) => {
      const pair = change as { old?: unknown; new?: unknown } | null;
      return pair && typeof pair === 'object' && ('old' in pair || 'new' in pair)
        ? { field, old: pair.old, new: pair.new }
        : { field, old: undefined, new: change };
    });
  }

  private load(profileId: number, domain: Domain | null, cursor: string | null): void {
    if (!cursor) this.state.set('loading');
    this.api
      .listProfileHistory$Response({ profile_id: profileId, limit: 50, ...(domain ? { domain } : {}), ...(cursor ? { cursor } : {}) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.entries.set(cursor ? [...this.entries(), ...response.body] : response.body);
          this.cursor.set(nextCursor(response.headers.get('link')));
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }
}
