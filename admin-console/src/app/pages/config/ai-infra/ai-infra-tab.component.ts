import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSliderModule } from '@angular/material/slider';
import { map } from 'rxjs';

import { AiInfraConfigDto, AiInfraValidationDto, LlmProbeDto, UpdateAiInfraDto } from '../../../api/models';
import { AiInfraService } from '../../../api/services';
import { errorMessage } from '../../../core/form-errors';
import { SbDirtyAware } from '../../../core/guards';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { personMessage } from '../../../core/problem-wording';
import { SbWhenComponent } from '../../../shared/when';
import { ENDPOINT_MAX, lineText, numberIn } from '../../../core/validators';
import { SbDomainEditor } from '../../../shared/domain-editor';
import { SbFormActionsComponent } from '../../../shared/form-actions.component';
import { SbEnvLockComponent } from '../../../shared/env-lock.component';
import { SbInheritance } from '../../../shared/inheritance';
import { SbInheritNoteComponent } from '../../../shared/inherit-note.component';
import { SbLockedNoteComponent } from '../../../shared/locked-note.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbDirtyTabs } from '../dirty-tabs';

/** The server's ranges (UpdateAiInfraDto). */
export const AI_INFRA_LIMITS = {
  temperature: { min: 0, max: 1 },
  topP: { min: 0, max: 1 },
  maxTokens: { min: 1, max: 1_000_000 },
  timeout: { min: 1, max: 3600 },
} as const;

export function createAiInfraForm() {
  return new FormGroup({
    llm_endpoint: new FormControl('', { nonNullable: true, validators: lineText(ENDPOINT_MAX) }),
    llm_temperature: new FormControl<number | null>(null, numberIn(AI_INFRA_LIMITS.temperature.min, AI_INFRA_LIMITS.temperature.max)),
    llm_top_p: new FormControl<number | null>(null, numberIn(AI_INFRA_LIMITS.topP.min, AI_INFRA_LIMITS.topP.max)),
    llm_max_tokens: new FormControl<number | null>(null, numberIn(AI_INFRA_LIMITS.maxTokens.min, AI_INFRA_LIMITS.maxTokens.max, true)),
    llm_timeout_seconds: new FormControl<number | null>(null, numberIn(AI_INFRA_LIMITS.timeout.min, AI_INFRA_LIMITS.timeout.max, true)),
    require_probe: new FormControl(false, { nonNullable: true }),
  });
}

/** LLM endpoint and sampling parameters of one profile. */
@Component({
  selector: 'sb-ai-infra-tab',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSliderModule,
    SbFormActionsComponent,
    SbEnvLockComponent,
    SbInheritNoteComponent,
    SbLockedNoteComponent,
    SbStateComponent,
    SbWhenComponent,
  ],
  templateUrl: './ai-infra-tab.component.html',
  styleUrl: './ai-infra-tab.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbAiInfraTabComponent implements SbDirtyAware {
  readonly profileId = input.required({ transform: numberAttribute });

  private readonly api = inject(AiInfraService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly limits = AI_INFRA_LIMITS;
  protected readonly errorMessage = errorMessage;

  readonly form = createAiInfraForm();
  readonly editor = new SbDomainEditor<AiInfraConfigDto, UpdateAiInfraDto>({
    what: 'AI infrastructure',
    domain: 'ai_infra',
    form: this.form,
    fields: [
      { key: 'llm_endpoint', label: 'Endpoint' },
      { key: 'llm_temperature', label: 'Temperature' },
      { key: 'llm_top_p', label: 'Top p' },
      { key: 'llm_max_tokens', label: 'Max tokens' },
      { key: 'llm_timeout_seconds', label: 'Timeout (s)' },
      { key: 'require_probe', label: 'Require a passing probe' },
    ],
    load: (profileId) => this.api.getAiInfraConfig({ profile_id: profileId }),
    save: (profileId, body, ifMatch, context) => this.api.updateAiInfraConfig({ profile_id: profileId, 'If-Match': ifMatch, body }, context),
    toForm: (dto) => ({
      llm_endpoint: dto.llm_endpoint,
      llm_temperature: dto.llm_temperature,
      llm_top_p: dto.llm_top_p,
      llm_max_tokens: dto.llm_max_tokens,
      llm_timeout_seconds: dto.llm_timeout_seconds,
      require_probe: dto.require_probe,
    }),
    toBody: (value) => ({
      ...this.llmSettings(value),
      require_probe: Boolean(value['require_probe']),
    }),
    held: () => this.inheritance.held(),
  });
  readonly inheritance: SbInheritance<AiInfraConfigDto> = new SbInheritance(this.editor, 'ai_infra', this.profileId);
  /** The form's LLM settings as the API takes them. */
  private llmSettings(value: Record<string, unknown>) {
    return {
      llm_endpoint: String(value['llm_endpoint']).trim(),
      llm_temperature: Number(value['llm_temperature']),
      llm_top_p: Number(value['llm_top_p']),
      llm_max_tokens: Number(value['llm_max_tokens']),
      llm_timeout_seconds: Number(value['llm_timeout_seconds']),
    };
  }

  /** The form's current values, for the sliders (which mirror the number fields). */
  protected readonly values = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), { initialValue: this.form.getRawValue() });

  protected readonly endpoints = signal<string[]>([]);
  protected readonly endpointsSource = signal<string | null>(null);
  protected readonly endpointsFailed = signal(false);
  protected readonly filteredEndpoints = computed(() => {
    const typed = (this.values().llm_endpoint ?? '').toLowerCase();
    const all = this.endpoints();
    const matching = all.filter((name) => name.toLowerCase().includes(typed));
    return matching.length ? matching : all;
  });
  protected readonly validation = signal<AiInfraValidationDto | null>(null);
  /** The latest probe of this profile (passing or not), and the sentence of one that just failed. */
  protected readonly lastProbe = signal<LlmProbeDto | null>(null);
  protected readonly probeFailure = signal<string | null>(null);
  protected readonly probing = signal(false);

  constructor() {
    inject(SbDirtyTabs).track('ai-infra', this.editor.dirty);
    effect(() => {
      const id = this.profileId();
      untracked(() => {
        this.validation.set(null);
        this.editor.loadFor(id);
        this.loadProbes(id);
      });
    });
    this.loadEndpoints();
  }

  hasUnsavedChanges(): boolean {
    return this.editor.dirty();
  }

  protected setFromSlider(field: 'llm_temperature' | 'llm_top_p', value: number): void {
    const control = this.form.controls[field];
    control.setValue(value);
    control.markAsDirty();
  }

  protected loadEndpoints(): void {
    this.endpointsFailed.set(false);
    this.api
      .listServingEndpoints$Response()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.endpoints.set(response.body);
          this.endpointsSource.set(response.headers.get('x-endpoints-source'));
        },
        error: () => this.endpointsFailed.set(true),
      });
  }

  /** Asks the server whether the values are acceptable and the endpoint is known. */
  protected validate(): void {
    this.api
      .validateAiInfraConfig({ body: this.llmSettings(this.form.getRawValue()) }, new HttpContext().set(SB_HANDLED_STATUSES, []))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (result) => this.validation.set(result), error: () => this.validation.set(null) });
  }

  /** Sends one small completion with the values on screen (saved or not); the outcome shows beside the button. */
  protected probe(): void {
    this.probing.set(true);
    this.probeFailure.set(null);
    this.api
      .probeLlm({ profile_id: this.profileId(), body: this.llmSettings(this.form.getRawValue()) }, new HttpContext().set(SB_HANDLED_STATUSES, [502, 503, 504]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.probing.set(false);
          this.lastProbe.set(result);
        },
        error: (problem: unknown) => {
          this.probing.set(false);
          if (problem instanceof SbProblem && [502, 503, 504].includes(problem.status)) this.probeFailure.set(personMessage(problem));
          this.loadProbes(this.profileId());
        },
      });
  }

  private loadProbes(profileId: number): void {
    this.lastProbe.set(null);
    this.api
      .listLlmProbes({ profile_id: profileId }, new HttpContext().set(SB_HANDLED_STATUSES, [0, 403, 404, 500, 502, 503, 504]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (probes) => this.lastProbe.set(probes[0] ?? null), error: () => undefined });
  }

  protected saveShortcut(event: Event): void {
    event.preventDefault();
    if (this.editor.canEdit() && this.editor.dirty()) this.editor.save();
  }
}
