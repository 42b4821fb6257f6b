import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatRadioModule } from '@angular/material/radio';

import { ConfigHistoryEntryDto, ProfileComparisonDto, ProfileDetailDto } from '../../../../api/models';
import { HistoryService } from '../../../../api/services';
import { SbChangesTableComponent } from '../../../../shared/changes-table/changes-table.component';
import { comparisonRows, domainLabelOf, DOMAINS, SbChangeRow } from '../../../../shared/domains';
import { SbDomainCatalog } from '../../../../core/domain-catalog';
import { SbStateComponent } from '../../../../shared/state.component';
import { formatWhen } from '../../../../shared/when';

export interface SbRestoreDialogData {
  entry: ConfigHistoryEntryDto;
  profileId: number;
  profileName: string;
}

/** What a restore did: the profile as it now is, and what was restored. */
export interface SbRestoreResult {
  profile: ProfileDetailDto;
  domain: string | null;
}

/**
 * "Restore this version": the whole profile or only the entry's domain, after showing exactly
 * what would change (the server's comparison of the profile now with the entry's snapshot).
 */
@Component({
  selector: 'sb-restore-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatRadioModule, SbChangesTableComponent, SbStateComponent],
  template: `
    <h2 mat-dialog-title>Restore the version of {{ when }}?</h2>
    <mat-dialog-content class="sb-dialog-form">
      <p class="sb-help">
        Entry #{{ data.entry.id }}: {{ data.entry.changed_by }} changed {{ domainLabel() }}. Restoring puts “{{ data.profileName }}” back to the
        values it had right after this change; the restore is itself recorded in the history.
      </p>
      <mat-radio-group [ngModel]="scope()" (ngModelChange)="scope.set($event)" aria-label="What to restore" class="sb-restore__scope">
        <mat-radio-button value="profile" data-testid="restore-whole">The whole profile (every domain)</mat-radio-button>
        <mat-radio-button value="domain" data-testid="restore-domain">Only {{ domainLabel() }}</mat-radio-button>
      </mat-radio-group>

      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Working out what would change…" />
        }
        @case ('error') {
          <sb-state kind="error" message="What would change could not be worked out." (retry)="load()" />
        }
        @default {
          @if (sections().length === 0) {
            <p role="status" data-testid="restore-nothing">Nothing would change: {{ scope() === 'profile' ? 'the profile' : domainLabel() }} already has these values.</p>
          } @else {
            <p role="status">These values would change (now → after the restore):</p>
            @for (section of sections(); track section.domain) {
              <h3 class="sb-restore__domain">{{ section.label }}</h3>
              <sb-changes-table [rows]="section.rows" beforeLabel="Now" afterLabel="After the restore" [caption]="section.label + ': what would change'" />
            }
          }
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="restore()" [disabled]="busy() || state() !== 'ready' || sections().length === 0" data-testid="restore-confirm">
        {{ busy() ? 'Restoring…' : 'Restore' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-restore__scope { display: flex; flex-direction: column; }
    .sb-restore__domain { margin: 8px 0 0; font: var(--mat-sys-title-small); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbRestoreDialogComponent implements OnInit {
  protected readonly data = inject<SbRestoreDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbRestoreDialogComponent, SbRestoreResult>>(MatDialogRef);
  private readonly api = inject(HistoryService);
  private readonly destroyRef = inject(DestroyRef);

  private readonly catalog = inject(SbDomainCatalog);
  protected readonly domainLabel = computed(() => domainLabelOf(this.data.entry.domain, this.catalog.domains()));
  protected readonly when = formatWhen(this.data.entry.timestamp);
  protected readonly scope = signal<'profile' | 'domain'>('profile');
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busy = signal(false);
  private readonly comparison = signal<ProfileComparisonDto | null>(null);

  protected readonly sections = computed<{ domain: string; label: string; rows: SbChangeRow[] }[]>(() => {
    const comparison = this.comparison();
    if (!comparison) return [];
    const domains: readonly string[] = this.scope() === 'profile' ? DOMAINS : [this.data.entry.domain];
    return domains
      .map((domain) => ({ domain, label: domainLabelOf(domain, this.catalog.domains()), rows: comparisonRows(comparison.differences, domain, this.catalog.domains()) }))
      .filter((section) => section.rows.length > 0);
  });

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.api
      .compareProfiles({ left_profile_id: this.data.profileId, right_entry_id: this.data.entry.id })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (comparison) => {
          this.comparison.set(comparison);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  protected restore(): void {
    if (this.busy()) return;
    this.busy.set(true);
    const domain = this.scope() === 'domain' ? this.data.entry.domain : null;
    // A refusal (e.g. the snapshot fails today's rules: 422) is the interceptor's snackbar; the dialog stays.
    this.api
      .restoreHistoryEntry({ entry_id: this.data.entry.id, body: domain ? { domain } : {} })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (profile) => this.dialogRef.close({ profile, domain }),
        error: () => this.busy.set(false),
      });
  }
}
