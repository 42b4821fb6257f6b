import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';

import { DomainDto } from '../../api/models';
import { DomainsService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';

/** Every configuration domain: the built-in ones and those registered with a JSON Schema. */
@Component({
  selector: 'sb-domains-page',
  imports: [SbWhenComponent, MatButtonModule, MatTableModule, RouterLink, SbStateComponent],
  template: `
    <section class="sb-domains">
      <div class="sb-domains__head">
        <h1>Domains</h1>
        @if (auth.isAdmin()) {
          <a mat-flat-button routerLink="/domains/new" data-testid="new-domain">Register a domain</a>
        }
      </div>
      <p class="sb-domains__intro">
        A domain is a group of settings every profile holds, described by a JSON Schema. Registered domains appear as tabs on each
        profile, with a form made from their schema.
      </p>
      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading domains…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The domains could not be loaded." (retry)="load()" />
        }
        @default {
          <table mat-table [dataSource]="domains()" aria-label="Domains" class="sb-domains__table">
            <ng-container matColumnDef="title">
              <th mat-header-cell *matHeaderCellDef scope="col">Domain</th>
              <td mat-cell *matCellDef="let domain">
                <a [routerLink]="['/domains', domain.name]">{{ domain.title }}</a>
                <code class="sb-mono sb-domains__name">{{ domain.name }}</code>
              </td>
            </ng-container>
            <ng-container matColumnDef="kind">
              <th mat-header-cell *matHeaderCellDef scope="col">Kind</th>
              <td mat-cell *matCellDef="let domain">{{ domain.built_in ? 'Built in' : 'Registered' }}</td>
            </ng-container>
            <ng-container matColumnDef="profiles">
              <th mat-header-cell *matHeaderCellDef scope="col">Profiles with values</th>
              <td mat-cell *matCellDef="let domain">{{ domain.profiles_with_values ?? 'all' }}</td>
            </ng-container>
            <ng-container matColumnDef="updated">
              <th mat-header-cell *matHeaderCellDef scope="col">Changed</th>
              <td mat-cell *matCellDef="let domain">
                @if (domain.updated_at) {
                  <sb-when [at]="domain.updated_at" /> by {{ domain.updated_by }} (v{{ domain.version }})
                } @else {
                  —
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let row; columns: columns" [attr.data-domain]="row.name"></tr>
          </table>
          @if (registeredCount() === 0) {
            <sb-state kind="empty" message="No domain is registered yet: only the built-in ones exist." />
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-domains { max-width: 1200px; margin: 0 auto; }
    .sb-domains__head { display: flex; align-items: center; justify-content: space-between; }
    .sb-domains__intro { color: var(--mat-sys-on-surface-variant); max-width: 800px; }
    .sb-domains__name { margin-left: 8px; color: var(--mat-sys-on-surface-variant); }
    .sb-domains__table { width: 100%; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbDomainsPageComponent {
  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(DomainsService);
  protected readonly columns = ['title', 'kind', 'profiles', 'updated'];
  protected readonly domains = signal<DomainDto[]>([]);
  protected readonly registeredCount = computed(() => this.domains().filter((domain) => !domain.built_in).length);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');

  constructor() {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.api.listDomains().subscribe({
      next: (domains) => {
        this.domains.set(domains);
        this.state.set('ready');
      },
      error: () => this.state.set('error'),
    });
  }
}
