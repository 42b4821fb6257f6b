import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { filter, map } from 'rxjs';

import { RegistryPromptDetailDto, RegistryPromptDto } from '../../../api/models';
import { PromptRegistryService } from '../../../api/services';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { originBadge, SbItemInheritance } from '../../../shared/item-inheritance';
import { SbStateComponent } from '../../../shared/state.component';
import { SbLabelChipsComponent } from './label-chips.component';
import { SbNewPromptDialogComponent } from './new-prompt-dialog.component';

/** Whether a prompt matches a search: every word in its name, description or a label. */
export function matchesSearch(prompt: RegistryPromptDto, search: string): boolean {
  const haystack = [prompt.name, prompt.description, ...Object.keys(prompt.labels)].join(' ').toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** A profile's prompt registry: every named prompt with its newest version and labels, searchable. */
@Component({
  selector: 'sb-prompt-library',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, SbLabelChipsComponent, SbStateComponent],
  template: `
    <div class="sb-head-row">
      <h2 class="sb-section-title">Prompt library</h2>
      @if (auth.mayEdit(profileId())) {
        <button mat-flat-button type="button" (click)="create()" data-testid="new-prompt">New prompt</button>
      }
    </div>
    <p class="sb-help">
      Named prompts with declared variables and numbered versions. Agents get the version labelled <code>production</code>, else the newest;
      moving a label back is a rollback.
    </p>
    @switch (state()) {
      @case ('loading') {
        <sb-state kind="loading" message="Loading prompts…" />
      }
      @case ('error') {
        <sb-state kind="error" message="The prompt library could not be loaded." (retry)="refresh()" />
      }
      @default {
        @if (prompts().length === 0) {
          <sb-state kind="empty" message="This profile has no prompt in its library yet.">
            @if (auth.mayEdit(profileId())) {
              <button mat-stroked-button type="button" (click)="create()">Create the first prompt</button>
            }
          </sb-state>
        } @else {
          <mat-form-field class="sb-library__search">
            <mat-label>Search prompts</mat-label>
            <input matInput type="search" [ngModel]="search()" (ngModelChange)="search.set($event)" autocomplete="off" data-testid="prompt-search" />
            <mat-hint>Name, description or label</mat-hint>
          </mat-form-field>
          @if (shown().length === 0) {
            <sb-state kind="empty" [message]="'No prompt matches “' + search() + '”.'">
              <button mat-stroked-button type="button" (click)="search.set('')">Clear the search</button>
            </sb-state>
          } @else {
            <ul class="sb-list" aria-label="Prompts">
              @for (prompt of shown(); track prompt.name) {
                @let origin = inheritance.of(prompt.name, prompt.inherited);
                <li class="sb-list__item" [attr.data-prompt]="prompt.name" [attr.data-origin]="origin?.kind ?? 'own'">
                  <div class="sb-list__info">
                    <a class="sb-library__name sb-mono" [routerLink]="[prompt.name]">{{ prompt.name }}</a>
                    <span class="sb-help"> · version {{ prompt.latest_version }}</span>
                    @if (origin) {
                      <span class="sb-badge sb-badge--origin">{{ originBadge(origin) }}</span>
                    }
                    <div class="sb-help">{{ prompt.description || 'No description' }}</div>
                    <sb-label-chips [labels]="prompt.labels" />
                  </div>
                </li>
              }
            </ul>
            <p class="sb-help" role="status">{{ shown().length }} of {{ prompts().length }} prompts</p>
          }
        }
      }
    }
  `,
  styles: `
    .sb-library__search { width: min(420px, 100%); }
    .sb-library__name { font-weight: 600; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbPromptLibraryComponent {
  readonly profileId = input.required({ transform: numberAttribute });

  private readonly api = inject(PromptRegistryService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(SbAuthStore);

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly prompts = signal<RegistryPromptDto[]>([]);
  protected readonly search = signal('');
  protected readonly shown = computed(() => this.prompts().filter((prompt) => matchesSearch(prompt, this.search())));
  protected readonly originBadge = originBadge;
  /** Which prompts are the parent's (inherited) and which of the profile's own override one of the parent's. */
  protected readonly inheritance = new SbItemInheritance(
    'prompt_registry',
    this.profileId,
    (parentId) => this.api.listPrompts({ id: parentId }).pipe(map((prompts) => prompts.map((prompt) => prompt.name))),
    () => this.refresh(),
  );

  constructor() {
    effect(() => {
      const id = this.profileId();
      untracked(() => this.refresh(id));
    });
  }

  protected refresh(profileId = this.profileId()): void {
    this.state.set('loading');
    this.inheritance.load(profileId);
    this.api
      .listPrompts({ id: profileId })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (prompts) => {
          this.prompts.set(prompts);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  protected create(): void {
    this.dialog
      .open<SbNewPromptDialogComponent, { profileId: number }, RegistryPromptDetailDto>(SbNewPromptDialogComponent, {
        data: { profileId: this.profileId() },
        width: '760px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(filter((created): created is RegistryPromptDetailDto => !!created))
      .subscribe((created) => {
        this.notifier.success(`Prompt “${created.name}” created (version 1).`);
        void this.router.navigate(['/profiles', this.profileId(), 'prompt-library', created.name]);
      });
  }
}
