import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, OnInit, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { map } from 'rxjs';

import { CompareProfiles$Params } from '../../api/fn/history/compare-profiles';
import { ComparedSideDto, ProfileComparisonDto } from '../../api/models';
import { HistoryService } from '../../api/services';
import { SbProfileStore } from '../../core/profile.store';
import { SbChangesTableComponent } from '../../shared/changes-table/changes-table.component';
import { comparisonRows, DOMAIN_LABELS, DOMAINS, SbChangeRow, SbDomain } from '../../shared/domains';
import { SbDomainCatalog } from '../../core/domain-catalog';
import { SbStateComponent } from '../../shared/state.component';

type SideKind = 'profile' | 'entry';

/** An id from the URL: a positive whole number, or nothing. */
export function idParam(value: unknown): number | null {
  const id = Number(value);
  return value !== undefined && value !== null && value !== '' && Number.isInteger(id) && id > 0 ? id : null;
}

/** One side from the URL's query parameters: a profile, or a history entry's snapshot. */
function side(profileId: number | null, entryId: number | null): { kind: SideKind; id: number } | null {
  if (entryId !== null) return { kind: 'entry', id: entryId };
  if (profileId !== null) return { kind: 'profile', id: profileId };
  return null;
}

/** How a side is named in headings: the profile, and the entry when it is a snapshot. */
export function sideName(side: ComparedSideDto): string {
  return side.entry_id !== null ? `${side.profile_name} (history entry #${side.entry_id})` : side.profile_name;
}

function sideForm() {
  return new FormGroup({
    kind: new FormControl<SideKind>('profile', { nonNullable: true }),
    profile: new FormControl<number | null>(null),
    entry: new FormControl<number | null>(null, [Validators.min(1)]),
  });
}

/**
 * Two profiles, or a profile and a history entry's snapshot, side by side: per domain the fields
 * that differ (Genie spaces matched by space_id). The sides live in the URL, so a comparison can
 * be linked to (the History tab's "Compare with current" does).
 */
@Component({
  selector: 'sb-compare-page',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, SbChangesTableComponent, SbStateComponent],
  templateUrl: './compare-page.component.html',
  styleUrl: './compare-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbComparePageComponent implements OnInit {
  readonly leftProfileId = input<number | null, unknown>(null, { alias: 'left_profile_id', transform: idParam });
  readonly leftEntryId = input<number | null, unknown>(null, { alias: 'left_entry_id', transform: idParam });
  readonly rightProfileId = input<number | null, unknown>(null, { alias: 'right_profile_id', transform: idParam });
  readonly rightEntryId = input<number | null, unknown>(null, { alias: 'right_entry_id', transform: idParam });

  private readonly api = inject(HistoryService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(SbProfileStore);

  readonly form = new FormGroup({ left: sideForm(), right: sideForm() });
  /** The pickers' values, as a signal (the template reads them). */
  protected readonly picked = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), { initialValue: this.form.getRawValue() });
  protected readonly ready = computed(() =>
    (['left', 'right'] as const).every((name) => {
      const value = this.picked()[name];
      return value.kind === 'profile' ? !!value.profile : !!value.entry && value.entry > 0;
    }),
  );
  protected readonly left = computed(() => side(this.leftProfileId(), this.leftEntryId()));
  protected readonly right = computed(() => side(this.rightProfileId(), this.rightEntryId()));

  private readonly catalog = inject(SbDomainCatalog);
  protected readonly state = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  protected readonly comparison = signal<ProfileComparisonDto | null>(null);
  protected readonly sections = computed<{ domain: SbDomain; label: string; rows: SbChangeRow[] }[]>(() => {
    const comparison = this.comparison();
    if (!comparison) return [];
    const domains = this.catalog.domains();
    return DOMAINS.map((domain) => ({ domain, label: DOMAIN_LABELS[domain], rows: comparisonRows(comparison.differences, domain, domains) })).filter(
      (section) => section.rows.length > 0,
    );
  });
  protected readonly sideName = sideName;
  protected readonly sides = ['left', 'right'] as const;

  constructor() {
    // The URL decides: fill the pickers from it and compare when both sides are named.
    effect(() => {
      const left = this.left();
      const right = this.right();
      untracked(() => {
        this.fill('left', left);
        this.fill('right', right);
        this.compare();
      });
    });
  }

  ngOnInit(): void {
    this.store.currentId.set(null);
    if (!this.store.profiles()) this.store.refresh().subscribe({ error: () => undefined });
  }

  /** Puts the pickers' choice into the URL (which runs the comparison). */
  protected submit(): void {
    const params: Record<string, number | null> = { left_profile_id: null, left_entry_id: null, right_profile_id: null, right_entry_id: null };
    for (const name of ['left', 'right'] as const) {
      const value = this.form.controls[name].getRawValue();
      if (value.kind === 'profile' && value.profile) params[`${name}_profile_id`] = value.profile;
      if (value.kind === 'entry' && value.entry) params[`${name}_entry_id`] = value.entry;
    }
    void this.router.navigate(['/compare'], { queryParams: params });
  }

  protected swap(): void {
    const left = this.form.controls.left.getRawValue();
    this.form.controls.left.setValue(this.form.controls.right.getRawValue());
    this.form.controls.right.setValue(left);
    this.submit();
  }

  protected compare(): void {
    const left = this.left();
    const right = this.right();
    if (!left || !right) {
      this.comparison.set(null);
      this.state.set('idle');
      return;
    }
    const params: CompareProfiles$Params = {
      ...(left.kind === 'profile' ? { left_profile_id: left.id } : { left_entry_id: left.id }),
      ...(right.kind === 'profile' ? { right_profile_id: right.id } : { right_entry_id: right.id }),
    };
    this.state.set('loading');
    this.api
      .compareProfiles(params)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (comparison) => {
          this.comparison.set(comparison);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  private fill(name: 'left' | 'right', value: { kind: SideKind; id: number } | null): void {
    if (!value) return;
    this.form.controls[name].setValue({ kind: value.kind, profile: value.kind === 'profile' ? value.id : null, entry: value.kind === 'entry' ? value.id : null });
  }
}
