import { ChangeDetectionStrategy, Component, effect, inject, input, numberAttribute, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { MlflowConfigDto, UpdateMlflowDto } from '../../../api/models';
import { MlflowService } from '../../../api/services';
import { errorMessage } from '../../../core/form-errors';
import { SbDirtyAware } from '../../../core/guards';
import { experimentName, EXPERIMENT_NAME_MAX, lineText } from '../../../core/validators';
import { SbDomainEditor } from '../../../shared/domain-editor';
import { SbFormActionsComponent } from '../../../shared/form-actions.component';
import { SbEnvLockComponent } from '../../../shared/env-lock.component';
import { SbInheritance } from '../../../shared/inheritance';
import { SbInheritNoteComponent } from '../../../shared/inherit-note.component';
import { SbLockedNoteComponent } from '../../../shared/locked-note.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbDirtyTabs } from '../dirty-tabs';

export function createMlflowForm() {
  return new FormGroup({
    experiment_name: new FormControl('', { nonNullable: true, validators: [...lineText(EXPERIMENT_NAME_MAX), experimentName] }),
  });
}

/** The MLflow experiment a profile's agents trace to. */
@Component({
  selector: 'sb-mlflow-tab',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, SbFormActionsComponent, SbEnvLockComponent, SbInheritNoteComponent, SbLockedNoteComponent, SbStateComponent],
  template: `
    @switch (editor.state()) {
      @case ('loading') {
        <sb-state kind="loading" message="Loading MLflow settings…" />
      }
      @case ('error') {
        <sb-state kind="error" message="The MLflow settings could not be loaded." (retry)="editor.retry()" />
      }
      @default {
        <form [formGroup]="form" class="sb-form" (ngSubmit)="editor.save()" aria-label="MLflow">
          <sb-locked-note [locked]="editor.locked()" />
          <h2 class="sb-section-title">Experiment tracking</h2>
          <mat-form-field class="sb-field--wide">
            <mat-label>Experiment name</mat-label>
            <input #experimentInput matInput formControlName="experiment_name" data-testid="experiment-name" />
            <mat-hint>
              A plain name or an absolute workspace path such as <code>/Workspace/Users/&#123;username&#125;/slides</code>;
              <code>&#123;username&#125;</code> is filled in at run time.
            </mat-hint>
            @if (form.controls.experiment_name.invalid) {
              <mat-error>{{ errorMessage(form.controls.experiment_name, 'The experiment name') }}</mat-error>
            }
          </mat-form-field>
          <sb-env-lock [lock]="editor.locked().get('experiment_name')" />
          <sb-inherit-note [inheritance]="inheritance" field="experiment_name" label="Experiment name" [focusTarget]="experimentInput" />
          @if (editor.canEdit()) {
            <sb-form-actions
              [dirty]="editor.dirty()"
              [invalid]="editor.invalid()"
              [busy]="editor.busy()"
              [remote]="editor.remote()"
              [delivery]="editor.delivery()"
              (save)="editor.save()"
              (cancel)="editor.cancel()"
              (apply)="editor.apply()"
              (showTheirs)="editor.showTheirs()"
              (dismissRemote)="editor.dismissRemote()"
            />
          }
        </form>
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbMlflowTabComponent implements SbDirtyAware {
  readonly profileId = input.required({ transform: numberAttribute });
  private readonly api = inject(MlflowService);
  protected readonly errorMessage = errorMessage;

  readonly form = createMlflowForm();
  readonly editor = new SbDomainEditor<MlflowConfigDto, UpdateMlflowDto>({
    what: 'MLflow',
    domain: 'mlflow',
    form: this.form,
    fields: [{ key: 'experiment_name', label: 'Experiment name' }],
    load: (profileId) => this.api.getMlflowConfig({ profile_id: profileId }),
    save: (profileId, body, ifMatch, context) => this.api.updateMlflowConfig({ profile_id: profileId, 'If-Match': ifMatch, body }, context),
    toForm: (dto) => ({ experiment_name: dto.experiment_name }),
    toBody: (value) => ({ experiment_name: String(value['experiment_name']).trim() }),
    held: () => this.inheritance.held(),
  });
  readonly inheritance: SbInheritance<MlflowConfigDto> = new SbInheritance(this.editor, 'mlflow', this.profileId);

  constructor() {
    inject(SbDirtyTabs).track('mlflow', this.editor.dirty);
    effect(() => {
      const id = this.profileId();
      untracked(() => this.editor.loadFor(id));
    });
  }

  hasUnsavedChanges(): boolean {
    return this.editor.dirty();
  }

  protected saveShortcut(event: Event): void {
    event.preventDefault();
    if (this.editor.canEdit() && this.editor.dirty()) this.editor.save();
  }
}
