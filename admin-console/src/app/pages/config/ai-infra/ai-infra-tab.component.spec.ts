import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { AiInfraConfigDto, LlmProbeDto, ResolvedConfigDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { SbLiveChanges } from '../../../core/live-changes';
import { PROBLEM_HEADERS, provideConsoleTesting, SbLiveChangesStub, signInAs } from '../../../testing';
import { SbDirtyTabs } from '../dirty-tabs';
import { SbAiInfraTabComponent } from './ai-infra-tab.component';

const STORED: AiInfraConfigDto = {
  profile_id: 1,
  llm_endpoint: 'databricks-claude-sonnet-4-5',
  llm_temperature: 0.7,
  llm_top_p: 1,
  llm_max_tokens: 60000,
  llm_timeout_seconds: 120,
  require_probe: false,
  inherited: [],
  version: 3,
  updated_at: '2026-11-23T12:00:00.000Z',
};

/** GET /api/config/resolved for profile 1: the database's values, or the environment's for `env`. */
function resolved(env: Partial<Record<keyof AiInfraConfigDto, number | string>> = {}): ResolvedConfigDto {
  const fields = ['llm_endpoint', 'llm_temperature', 'llm_top_p', 'llm_max_tokens', 'llm_timeout_seconds'] as const;
  return {
    profile: { id: 1, name: 'default', is_default: true, version: 1 },
    pinned_version: null,
    ai_infra: { ...Object.fromEntries(fields.map((field) => [field, STORED[field]])), ...env } as ResolvedConfigDto['ai_infra'],
    genie_space: null,
    genie_spaces: [],
    mlflow: { experiment_name: '/Shared/x' },
    prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
    sources: {
      ai_infra: Object.fromEntries(fields.map((field) => [field, field in env ? 'env' : 'database'])),
      genie_space: {},
      mlflow: { experiment_name: 'database' },
      prompts: {},
    },
    prompt_registry: {},
    stale: false,
  };
}

describe('SbAiInfraTabComponent', () => {
  let fixture: ComponentFixture<SbAiInfraTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(role: 'viewer' | 'editor', env: Parameters<typeof resolved>[0] = {}, probes: LlmProbeDto[] = []): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbAiInfraTabComponent], providers: [...provideConsoleTesting(), SbDirtyTabs] });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbAiInfraTabComponent);
    fixture.componentRef.setInput('profileId', 1);
    await fixture.whenStable();
    backend.expectOne('/api/config/ai-infra/endpoints').flush(['databricks-claude-sonnet-4-5', 'databricks-meta-llama'], { headers: { 'X-Endpoints-Source': 'fallback' } });
    backend.expectOne('/api/config/ai-infra/1').flush(STORED, { headers: { ETag: '"v3"' } });
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved(env));
    backend.expectOne((request) => request.method === 'GET' && request.url === '/api/config/ai-infra/1/probe').flush(probes);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function input(testId: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  }

  async function type(testId: string, value: string): Promise<void> {
    const element = input(testId);
    element.value = value;
    element.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  function button(name: string): HTMLButtonElement {
    return [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name)!;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows the stored values, with nothing to save', async () => {
    await render('editor');
    expect(input('llm-endpoint').value).toBe('databricks-claude-sonnet-4-5');
    expect(input('llm-temperature').value).toBe('0.7');
    expect(input('llm-max-tokens').value).toBe('60000');
    expect(root.textContent).toContain('All changes saved');
    expect(root.textContent).toContain('Suggestions are a built-in list');
    expect(button('Save').disabled).toBe(true);
  });

  it('checks ranges as the server does, beside the field, and blocks saving', async () => {
    await render('editor');
    await type('llm-temperature', '1.5');
    expect(root.textContent).toContain('Temperature must be at most 1.');
    await type('llm-max-tokens', '0');
    expect(root.textContent).toContain('Max tokens must be at least 1.');
    await type('llm-timeout', '12.5');
    expect(root.textContent).toContain('The timeout must be a whole number.');
    expect(button('Save').disabled).toBe(true);
  });

  it('tracks changes against the stored values: changing back is not dirty', async () => {
    await render('editor');
    await type('llm-temperature', '0.3');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(true);
    expect(root.textContent).toContain('Unsaved changes');
    await type('llm-temperature', '0.7');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('saves with If-Match and shows the server’s field errors next to the field', async () => {
    await render('editor');
    await type('llm-temperature', '0.3');
    button('Save').click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/ai-infra/1');
    expect(put.request.headers.get('If-Match')).toBe('"v3"');
    expect(put.request.body).toMatchObject({ llm_temperature: 0.3, llm_max_tokens: 60000 });
    put.flush(
      { type: 'x', title: 'Unprocessable Entity', status: 422, detail: 'Some values are not acceptable.', errors: [{ field: 'llm_endpoint', message: 'llm_endpoint must not be blank' }] },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent).toContain('The endpoint must not be blank');
  });

  it('on a profile that requires approval, says the save became a change request and shows the stored values again', async () => {
    await render('editor');
    const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
    await type('llm-temperature', '0.3');
    button('Save').click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/ai-infra/1');
    put.flush({ change_request_id: 7, profile_id: 1, status: 'open' }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();
    expect(success).toHaveBeenCalledWith('Proposed as change request #7: another editor approves it in Requests.');
    expect(input('llm-temperature').value).toBe('0.7');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('probes the values on screen and says how it went; a failure is said beside the button, not in a snackbar', async () => {
    const settings = { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.7, llm_top_p: 1, llm_max_tokens: 60000, llm_timeout_seconds: 120 };
    const earlier: LlmProbeDto = { probe_id: 1, profile_id: 1, ok: false, settings, latency_ms: 15000, reply_chars: null, error: 'did not answer', probed_by: 'bob', probed_at: '2026-11-26T11:00:00.000Z', valid_until: null };
    await render('editor', {}, [earlier]);
    expect(root.querySelector('[data-testid="probe-outcome"]')!.textContent).toContain('Last probe failed after 15000 ms');
    await type('llm-temperature', '0.3');
    button('Probe the model').click();
    const sent = backend.expectOne((request) => request.method === 'POST' && request.url === '/api/config/ai-infra/1/probe');
    expect(sent.request.body).toEqual({ ...settings, llm_temperature: 0.3 });
    sent.flush({ ...earlier, probe_id: 2, ok: true, settings: { ...settings, llm_temperature: 0.3 }, latency_ms: 412, reply_chars: 2, error: null, probed_by: 'alice', valid_until: '2026-11-26T11:15:00.000Z' });
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="probe-outcome"]')!.textContent).toContain('Last probe passed in 412 ms (databricks-claude-sonnet-4-5, by alice');

    button('Probe the model').click();
    backend
      .expectOne((request) => request.method === 'POST' && request.url === '/api/config/ai-infra/1/probe')
      .flush({ type: 'urn:switchboard:problem:llm-timeout', title: 'Gateway Timeout', status: 504, detail: 'no answer' }, { status: 504, statusText: 'Gateway Timeout', headers: PROBLEM_HEADERS });
    backend.expectOne((request) => request.method === 'GET' && request.url === '/api/config/ai-infra/1/probe').flush([]);
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="probe-outcome"]')!.textContent).toContain('Probe failed: The model endpoint did not answer in time');
  });

  it('saves the probe requirement with the values', async () => {
    await render('editor');
    root.querySelector<HTMLInputElement>('[data-testid="require-probe"] input')!.click();
    await fixture.whenStable();
    button('Save').click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/ai-infra/1');
    expect(put.request.body).toMatchObject({ require_probe: true, llm_temperature: 0.7 });
    put.flush({ ...STORED, require_probe: true, version: 4 }, { headers: { ETag: '"v4"' } });
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
    await fixture.whenStable();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('Cancel restores the stored values', async () => {
    await render('editor');
    await type('llm-temperature', '0.2');
    button('Cancel').click();
    await fixture.whenStable();
    expect(input('llm-temperature').value).toBe('0.7');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('is read-only for viewers: disabled fields, no Save', async () => {
    await render('viewer');
    expect(input('llm-temperature').disabled).toBe(true);
    expect(input('llm-endpoint').disabled).toBe(true);
    expect(button('Save')).toBeUndefined();
  });

  it('locks a value the environment sets: disabled, with its variable and the value in effect', async () => {
    await render('editor', { llm_temperature: 0.2 });
    expect(input('llm-temperature').disabled).toBe(true);
    expect(input('llm-temperature').value).toBe('0.7');
    expect(input('llm-max-tokens').disabled).toBe(false);
    const lock = root.querySelector('[data-locked-field="llm_temperature"]')!;
    expect(lock.textContent).toContain('SWITCHBOARD__AI_INFRA__LLM_TEMPERATURE');
    expect(lock.querySelector('[data-testid="effective-value"]')!.textContent).toBe('0.2');
    expect(lock.textContent).toContain('is not used while the variable is set');
    expect(root.querySelector('[data-testid="locked-note"]')!.textContent).toContain('llm_temperature');
    expect(root.querySelectorAll('[data-locked-field]').length).toBe(1);

    // Saving the other fields sends the stored temperature back unchanged, then asks for the sources again.
    await type('llm-max-tokens', '4096');
    button('Save').click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/ai-infra/1');
    expect(put.request.body).toMatchObject({ llm_temperature: 0.7, llm_max_tokens: 4096 });
    put.flush({ ...STORED, llm_max_tokens: 4096, version: 4 });
    // The override is gone meanwhile (the server restarted without it): the field unlocks.
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
    await fixture.whenStable();
    expect(input('llm-temperature').disabled).toBe(false);
    expect(root.querySelector('[data-locked-field]')).toBeNull();
    expect(root.querySelector('[data-testid="locked-note"]')).toBeNull();
  });

  describe('changes made elsewhere (the change stream)', () => {
    const theirs = { ...STORED, llm_temperature: 0.2, version: 4, updated_at: '2026-11-26T02:00:00.000Z' };
    const change = (version: number, profileId = 1, domain = 'ai_infra') =>
      (TestBed.inject(SbLiveChanges) as unknown as SbLiveChangesStub).changes.next({
        history_id: 90,
        profile_id: profileId,
        profile_name: 'default',
        domain,
        item: null,
        action: 'update',
        version,
        session_id: null,
        changed_by: 'bob',
        timestamp: '2026-11-26T02:00:00.000Z',
      });
    const banner = () => root.querySelector('[data-testid="remote-change"]');

    it('shows them at once when nothing is unsaved, saying who; ignores other profiles, domains and what it holds already', async () => {
      await render('editor');
      change(4, 2);
      change(4, 1, 'mlflow');
      change(3);
      backend.expectNone('/api/config/ai-infra/1');
      change(4);
      backend.expectOne('/api/config/ai-infra/1').flush(theirs, { headers: { ETag: '"v4"' } });
      backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
      await fixture.whenStable();
      expect(input('llm-temperature').value).toBe('0.2');
      expect(banner()?.getAttribute('role')).toBe('status');
      expect(banner()?.textContent).toMatch(/bob changed AI infrastructure at .*: showing the new values\./);
      expect(root.textContent).toContain('All changes saved');
    });

    it('reads the row on a reload without a version (a listener reconnecting), and says nothing when it did not move', async () => {
      await render('editor');
      await type('llm-temperature', '0.9');
      (TestBed.inject(SbLiveChanges) as unknown as SbLiveChangesStub).reloads.next({ profile_id: null, reason: 'reconnected' });
      backend.expectOne('/api/config/ai-infra/1').flush(STORED, { headers: { ETag: '"v3"' } });
      await fixture.whenStable();
      expect(banner()).toBeNull();
      expect(input('llm-temperature').value).toBe('0.9');
    });

    it('keeps unsaved work and says who changed what; "Show theirs" replaces it with their values', async () => {
      await render('editor');
      await type('llm-temperature', '0.9');
      change(4);
      backend.expectNone('/api/config/ai-infra/1');
      await fixture.whenStable();
      expect(input('llm-temperature').value).toBe('0.9');
      expect(banner()?.getAttribute('role')).toBe('alert');
      expect(banner()?.textContent).toContain('bob changed AI infrastructure');
      expect(banner()?.textContent).toContain('Your unsaved changes are still here');
      button('Show theirs').click();
      backend.expectOne('/api/config/ai-infra/1').flush(theirs, { headers: { ETag: '"v4"' } });
      backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
      await fixture.whenStable();
      expect(input('llm-temperature').value).toBe('0.2');
      expect(banner()).toBeNull();
      expect(root.textContent).toContain('All changes saved');
    });
  });
});
