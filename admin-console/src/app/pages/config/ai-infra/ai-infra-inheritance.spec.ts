import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { AiInfraConfigDto, ProfileDetailDto, ProfileListItemDto, ResolvedConfigDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbProfileStore } from '../../../core/profile.store';
import { listedProfile, PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { SbDirtyTabs } from '../dirty-tabs';
import { SbAiInfraTabComponent } from './ai-infra-tab.component';

const FIELDS = ['llm_endpoint', 'llm_temperature', 'llm_top_p', 'llm_max_tokens', 'llm_timeout_seconds'] as const;
/** Profile 2 inherits from profile 1, "Base"; the temperature is its own. */
const CHILD: AiInfraConfigDto = {
  profile_id: 2,
  llm_endpoint: 'databricks-claude-sonnet-4-5',
  llm_temperature: 0.3,
  llm_top_p: 1,
  llm_max_tokens: 60000,
  llm_timeout_seconds: 120,
  require_probe: false,
  inherited: ['llm_endpoint', 'llm_top_p', 'llm_max_tokens', 'llm_timeout_seconds', 'require_probe'],
  version: 3,
  updated_at: '2026-11-23T12:00:00.000Z',
};
const LISTED = listedProfile();
const PROFILES = [LISTED, { ...LISTED, id: 2, name: 'Child', is_default: false, parent_profile_id: 1 }];

/** GET /api/config/resolved?profile_id=2: inherited fields come from "Base" (or the environment, for `env`). */
function resolved(row: AiInfraConfigDto, env: readonly string[] = []): ResolvedConfigDto {
  const source = (field: string) => (env.includes(field) ? 'env' : row.inherited.includes(field) ? 'profile:Base' : 'database');
  return {
    profile: { id: 2, name: 'Child', is_default: false, version: 1 },
    pinned_version: null,
    ai_infra: Object.fromEntries(FIELDS.map((field) => [field, row[field]])) as unknown as ResolvedConfigDto['ai_infra'],
    genie_space: null,
    genie_spaces: [],
    mlflow: { experiment_name: '/Shared/x' },
    prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
    sources: { ai_infra: Object.fromEntries(FIELDS.map((field) => [field, source(field)])), genie_space: {}, mlflow: {}, prompts: {} },
    prompt_registry: {},
    stale: false,
  };
}

describe('SbAiInfraTabComponent: inheritance', () => {
  let fixture: ComponentFixture<SbAiInfraTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;
  let snackBar: { open: ReturnType<typeof vi.fn> };

  async function render(row: AiInfraConfigDto = CHILD, env: readonly string[] = [], profiles: ProfileListItemDto[] = PROFILES): Promise<void> {
    snackBar = { open: vi.fn() };
    TestBed.configureTestingModule({ imports: [SbAiInfraTabComponent], providers: [...provideConsoleTesting(), SbDirtyTabs, { provide: MatSnackBar, useValue: snackBar }] });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SbProfileStore).refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush(profiles);
    fixture = TestBed.createComponent(SbAiInfraTabComponent);
    fixture.componentRef.setInput('profileId', row.profile_id);
    await fixture.whenStable();
    backend.expectOne('/api/config/ai-infra/endpoints').flush([]);
    backend.expectOne(`/api/config/ai-infra/${row.profile_id}`).flush(row);
    backend.expectOne(`/api/config/resolved?profile_id=${row.profile_id}`).flush(resolved(row, env));
    backend.expectOne(`/api/config/ai-infra/${row.profile_id}/probe`).flush([]);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  const input = (testId: string) => root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  const note = (field: string) => root.querySelector<HTMLElement>(`[data-inherit-field="${field}"]`);
  const noteButton = (field: string) => note(field)?.querySelector<HTMLButtonElement>('button') ?? null;

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows inherited fields locked, naming the ancestor, and the own value with Reset to inherited', async () => {
    await render();
    expect(input('llm-max-tokens').disabled).toBe(true);
    expect(note('llm_max_tokens')?.getAttribute('data-inherit')).toBe('inherited');
    expect(note('llm_max_tokens')?.textContent).toContain('Max tokens: inherited from Base.');
    expect(noteButton('llm_max_tokens')?.getAttribute('aria-label')).toBe('Override Max tokens, inherited from Base');
    expect(input('llm-temperature').disabled).toBe(false);
    expect(note('llm_temperature')?.getAttribute('data-inherit')).toBe('overridden');
    expect(noteButton('llm_temperature')?.textContent?.trim()).toBe('Reset to inherited');
  });

  it('Override unlocks and focuses the field; saving sends the whole form, and what the server keeps inherited is locked again', async () => {
    await render();
    noteButton('llm_max_tokens')!.click();
    await fixture.whenStable();
    expect(input('llm-max-tokens').disabled).toBe(false);
    expect(document.activeElement).toBe(input('llm-max-tokens'));
    expect(note('llm_max_tokens')?.textContent).toContain('Saving a different value makes it this profile’s own.');
    input('llm-max-tokens').value = '4096';
    input('llm-max-tokens').dispatchEvent(new Event('input'));
    await fixture.whenStable();
    [...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Save')!.click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/ai-infra/2');
    expect(put.request.body).toMatchObject({ llm_max_tokens: 4096, llm_top_p: 1, llm_endpoint: 'databricks-claude-sonnet-4-5' });
    const saved = { ...CHILD, llm_max_tokens: 4096, inherited: CHILD.inherited.filter((field) => field !== 'llm_max_tokens'), version: 4 };
    put.flush(saved);
    backend.expectOne('/api/config/resolved?profile_id=2').flush(resolved(saved));
    await fixture.whenStable();
    expect(note('llm_max_tokens')?.getAttribute('data-inherit')).toBe('overridden');
    expect(input('llm-top-p').disabled).toBe(true);
  });

  it('Reset to inherited asks the server, then shows the row it answers with and asks for the sources again', async () => {
    await render();
    noteButton('llm_temperature')!.click();
    const reset = backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/config/profiles/2/overrides/ai_infra/llm_temperature');
    await fixture.whenStable();
    expect(noteButton('llm_temperature')?.textContent?.trim()).toBe('Resetting…');
    const row = { ...CHILD, llm_temperature: 0.7, inherited: [...CHILD.inherited, 'llm_temperature'], version: 4 };
    reset.flush({ id: 2, name: 'Child', parent_profile_id: 1, ai_infra: row, inherited_from: { ai_infra: { llm_temperature: 'Base' } } } as unknown as ProfileDetailDto);
    backend.expectOne('/api/config/resolved?profile_id=2').flush(resolved(row));
    await fixture.whenStable();
    expect(input('llm-temperature').value).toBe('0.7');
    expect(input('llm-temperature').disabled).toBe(true);
    expect(note('llm_temperature')?.textContent).toContain('inherited from Base.');
    expect(snackBar.open).toHaveBeenCalledWith('Temperature inherits from “Base” again.', 'OK', expect.anything());
  });

  it('offers no reset while the form holds unsaved work, and says why', async () => {
    await render();
    noteButton('llm_timeout_seconds')!.click();
    await fixture.whenStable();
    input('llm-timeout').value = '30';
    input('llm-timeout').dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(noteButton('llm_temperature')?.disabled).toBe(true);
    expect(note('llm_temperature')?.textContent).toContain('Save or cancel the unsaved changes first.');
  });

  it('a reset refused because the profile has no parent any more (409) says so and reads the profile again', async () => {
    await render();
    noteButton('llm_temperature')!.click();
    backend
      .expectOne('/api/config/profiles/2/overrides/ai_infra/llm_temperature')
      .flush({ type: 'urn:switchboard:problem:conflict', title: 'Conflict', status: 409, detail: 'Profile 2 inherits from no profile.' }, { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS });
    const detached = PROFILES.map((profile) => ({ ...profile, parent_profile_id: null }));
    backend.expectOne((request) => request.url === '/api/config/profiles').flush(detached);
    const own = { ...CHILD, inherited: [], version: 4 };
    await fixture.whenStable();
    // Read again for the refusal, and once more as the profile list shows the parent gone.
    for (const read of backend.match('/api/config/ai-infra/2')) read.flush(own);
    for (const read of backend.match('/api/config/resolved?profile_id=2')) read.flush(resolved(own));
    await fixture.whenStable();
    expect(snackBar.open).toHaveBeenCalledWith('Profile 2 inherits from no profile.', 'Close', expect.anything());
    expect(root.querySelector('[data-inherit-field]')).toBeNull();
    expect(input('llm-max-tokens').disabled).toBe(false);
  });

  it('reads its values again when the profile gets another parent', async () => {
    await render();
    TestBed.inject(SbProfileStore).refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([...PROFILES, { ...LISTED, id: 3, name: 'Other', is_default: false }].map((profile) => (profile.id === 2 ? { ...profile, parent_profile_id: 3 } : profile)));
    await fixture.whenStable();
    const moved = { ...CHILD, llm_top_p: 0.5, version: 4 };
    backend.expectOne('/api/config/ai-infra/2').flush(moved);
    backend.expectOne('/api/config/resolved?profile_id=2').flush({ ...resolved(moved), sources: { ...resolved(moved).sources, ai_infra: { llm_top_p: 'profile:Other' } } });
    await fixture.whenStable();
    expect(input('llm-top-p').value).toBe('0.5');
    expect(note('llm_top_p')?.textContent).toContain('Top p: inherited from Other.');
    expect(note('llm_temperature')?.textContent).toContain('Temperature: this profile’s own value (overrides Other).');
  });

  it('leaves a field the environment sets to its lock, and says nothing on a profile without a parent', async () => {
    await render(CHILD, ['llm_max_tokens']);
    expect(root.querySelector('[data-locked-field="llm_max_tokens"]')).not.toBeNull();
    expect(note('llm_max_tokens')).toBeNull();
    expect(note('llm_top_p')).not.toBeNull();

    TestBed.resetTestingModule();
    await render({ ...CHILD, profile_id: 1, inherited: [] }, [], [LISTED]);
    expect(root.querySelector('[data-inherit-field]')).toBeNull();
    expect(input('llm-max-tokens').disabled).toBe(false);
  });
});
