import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { filter, switchMap } from 'rxjs';

import { ApiTokenDto, CreatedApiTokenDto } from '../../api/models';
import { AuthService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbNotifier } from '../../core/notifier';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';
import { SbNewTokenDialogComponent } from './new-token-dialog.component';

/** API tokens (admins): who holds which role, when each was last used; create one, revoke one. */
@Component({
  selector: 'sb-tokens-page',
  imports: [MatButtonModule, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-tokens">
      <div class="sb-head-row">
        <h1>API tokens</h1>
        @if (auth.isAdmin()) {
          <button mat-flat-button type="button" (click)="create()" data-testid="new-token">New token</button>
        }
      </div>
      <p class="sb-help">
        Agents, pipelines and people call the API with a token. The server keeps only a hash of each secret: a lost secret cannot be
        shown again, so create a new token and revoke the old one. A revocation reaches every instance within milliseconds.
      </p>
      @if (!auth.isAdmin()) {
        <sb-state kind="empty" message="Only admins manage API tokens." />
      } @else {
        @switch (state()) {
          @case ('loading') {
            <sb-state kind="loading" message="Loading tokens…" />
          }
          @case ('error') {
            <sb-state kind="error" message="The tokens could not be loaded." (retry)="load()" />
          }
          @default {
            @if (tokens().length === 0) {
              <sb-state kind="empty" message="No token yet: the admin token of the environment is the only way in." />
            } @else {
              <table class="sb-table" aria-label="API tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Secret starts</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">State</th>
                    <th scope="col"><span class="sb-visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  @for (token of tokens(); track token.id) {
                    <tr [attr.data-token]="token.name" [class.sb-tokens__revoked]="token.revoked_at">
                      <td>{{ token.name }}</td>
                      <td>{{ token.role }}</td>
                      <td><code class="sb-mono">{{ token.token_prefix }}…</code></td>
                      <td><sb-when [at]="token.created_at" />@if (token.created_by) {<br /><span class="sb-help">by {{ token.created_by }}</span>}</td>
                      <td>@if (token.last_used_at) {<sb-when [at]="token.last_used_at" />} @else {never}</td>
                      <td>
                        @if (token.revoked_at) {
                          Revoked <sb-when [at]="token.revoked_at" />@if (token.revoked_by) { by {{ token.revoked_by }}}
                        } @else {
                          Active
                        }
                      </td>
                      <td>
                        @if (!token.revoked_at) {
                          <button mat-stroked-button type="button" class="sb-danger-text" (click)="revoke(token)" [disabled]="busyId() === token.id">Revoke</button>
                        }
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
              <p class="sb-help">{{ activeCount() }} active, {{ tokens().length - activeCount() }} revoked.</p>
            }
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-tokens { max-width: 1200px; margin: 0 auto; }
    .sb-tokens__revoked td { color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbTokensPageComponent {
  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  protected readonly tokens = signal<ApiTokenDto[]>([]);
  protected readonly activeCount = computed(() => this.tokens().filter((token) => !token.revoked_at).length);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busyId = signal<number | null>(null);

  constructor() {
    if (this.auth.isAdmin()) this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.api.listApiTokens().subscribe({
      next: (tokens) => {
        // Active first, then the newest.
        this.tokens.set([...tokens].sort((a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || b.id - a.id));
        this.state.set('ready');
      },
      error: () => this.state.set('error'),
    });
  }

  protected create(): void {
    this.dialog
      .open<SbNewTokenDialogComponent, void, CreatedApiTokenDto>(SbNewTokenDialogComponent, { width: '560px' })
      .afterClosed()
      .pipe(filter((token): token is CreatedApiTokenDto => !!token))
      .subscribe((token) => {
        this.notifier.success(`Token “${token.name}” (${token.role}) created.`);
        this.load();
      });
  }

  protected revoke(token: ApiTokenDto): void {
    confirmAction(this.dialog, {
      title: `Revoke “${token.name}”?`,
      message: `Every request with this ${token.role} token (${token.token_prefix}…) is refused from now on, on every instance. This cannot be undone: a new token would have to be created and handed out.`,
      confirm: 'Revoke',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busyId.set(token.id);
          return this.api.revokeApiToken({ id: token.id });
        }),
      )
      .subscribe({
        next: () => {
          this.busyId.set(null);
          this.notifier.success(`Token “${token.name}” revoked.`);
          this.load();
        },
        error: () => {
          this.busyId.set(null);
          this.load();
        },
      });
  }
}
