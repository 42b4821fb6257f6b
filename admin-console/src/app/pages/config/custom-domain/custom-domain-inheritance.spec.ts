import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { DomainDto, DomainValuesDto, ProfileDetailDto, ProfileListItemDto, ResolvedConfigDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbProfileStore } from '../../../core/profile.store';
import { provideSchemaForms } from '../../../shared/schema-form/schema-form';
import { listedProfile, provideConsoleTesting, signInAs } from '../../../testing';
import { SbDirtyTabs } from '../dirty-tabs';
import { SbCustomDomainTabComponent } from './custom-domain-tab.component';

const DOMAIN: DomainDto = {
  name: 'gateway',
  title: 'Gateway',
  description: null,
  kind: 'object',
  built_in: false,
  version: 1,
  profiles_with_values: 2,
  updated_at: '2026-11-25T10:00:00.000Z',
  updated_by: 'admin',
  schema: {
    type: 'object',
    properties: {
      base_url: { title: 'Base URL', type: 'string' },
      region: { title: 'Region', type: 'string' },
      mode: { title: 'Mode', type: 'string' },
    },
  },
} as DomainDto;

/** Profile 1 inherits from profile 2, "Base": the base URL comes from Base, the region is its own, the mode nobody sets. */
const CHILD: DomainValuesDto = {
  domain: 'gateway',
  profile_id: 1,
  values: { base_url: 'https://base.internal', region: 'eu' },
  inherited: ['base_url'],
  effective: { base_url: 'https://base.internal', region: 'eu' },
  version: 2,
  updated_at: '2026-11-25T11:00:00.000Z',
};
const LISTED = listedProfile({ id: 2 });
const PROFILES = [LISTED, { ...LISTED, id: 1, name: 'Child', is_default: false, parent_profile_id: 2 }];

function resolved(row: DomainValuesDto): ResolvedConfigDto {
  const sources = Object.fromEntries(Object.keys(row.values).map((key) => [key, row.inherited.includes(key) ? 'profile:Base' : 'database']));
  return {
    profile: { id: 1, name: 'Child', is_default: false, version: 1 },
    pinned_version: null,
    ai_infra: {} as ResolvedConfigDto['ai_infra'],
    genie_space: null,
    genie_spaces: [],
    mlflow: { experiment_name: '/Shared/x' },
    prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
    sources: { ai_infra: {}, genie_space: {}, mlflow: {}, prompts: {}, gateway: sources } as ResolvedConfigDto['sources'],
    prompt_registry: {},
    stale: false,
    gateway: row.effective,
  } as ResolvedConfigDto;
}

describe('SbCustomDomainTabComponent: inheritance', () => {
  let fixture: ComponentFixture<SbCustomDomainTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;
  let snackBar: { open: ReturnType<typeof vi.fn> };

  async function render(row: DomainValuesDto = CHILD, profiles: ProfileListItemDto[] = PROFILES): Promise<void> {
    snackBar = { open: vi.fn() };
    TestBed.configureTestingModule({
      imports: [SbCustomDomainTabComponent],
      providers: [...provideConsoleTesting(), provideSchemaForms(), SbDirtyTabs, { provide: MatSnackBar, useValue: snackBar }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SbProfileStore).refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush(profiles);
    fixture = TestBed.createComponent(SbCustomDomainTabComponent);
    fixture.componentRef.setInput('profileId', 1);
    fixture.componentRef.setInput('name', 'gateway');
    await fixture.whenStable();
    backend.expectOne('/api/config/domains/gateway').flush(DOMAIN);
    backend.expectOne('/api/config/domains/gateway/profiles/1').flush(row);
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved(row));
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function input(label: string): HTMLInputElement {
    const field = [...root.querySelectorAll('mat-form-field')].find((candidate) => candidate.querySelector('mat-label')?.textContent?.trim() === label);
    return field!.querySelector('input')!;
  }
  const note = (key: string) => root.querySelector<HTMLElement>(`[data-inherit-field="${key}"]`);
  const noteButton = (key: string) => note(key)?.querySelector<HTMLButtonElement>('button') ?? null;

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows an inherited key locked, naming its ancestor; Override unlocks it and puts the focus in it', async () => {
    await render();
    expect(input('Base URL').value).toBe('https://base.internal');
    expect(input('Base URL').disabled).toBe(true);
    expect(note('base_url')?.getAttribute('data-inherit')).toBe('inherited');
    expect(note('base_url')?.textContent).toContain('Base URL: inherited from Base.');
    expect(note('mode')).toBeNull(); // neither set nor inherited
    expect(input('Mode').disabled).toBe(false);

    expect(noteButton('base_url')?.getAttribute('aria-label')).toBe('Override Base URL, inherited from Base');
    noteButton('base_url')!.click();
    await fixture.whenStable();
    expect(input('Base URL').disabled).toBe(false);
    expect(document.activeElement).toBe(input('Base URL'));
    expect(note('base_url')?.textContent).toContain('Saving a different value makes it this profile’s own.');
  });

  it('offers Reset to inherited on an own key: DELETE …/overrides/<domain>/<key>, then the row the answer holds', async () => {
    await render();
    expect(input('Region').disabled).toBe(false);
    expect(note('region')?.getAttribute('data-inherit')).toBe('overridden');
    expect(note('region')?.textContent).toContain('Region: this profile’s own value (overrides Base).');
    expect(noteButton('region')?.textContent?.trim()).toBe('Reset to inherited');
    noteButton('region')!.click();
    const reset = backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/config/profiles/1/overrides/gateway/region');
    const row = { values: { base_url: 'https://base.internal', region: 'us' }, inherited: ['base_url', 'region'], version: 3, updated_at: '2026-11-25T12:00:00.000Z' };
    reset.flush({ id: 1, name: 'Child', parent_profile_id: 2, domains: { gateway: row }, inherited_from: { gateway: { base_url: 'Base', region: 'Base' } } } as unknown as ProfileDetailDto);
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved({ ...CHILD, ...row, effective: row.values }));
    await fixture.whenStable();
    expect(input('Region').value).toBe('us');
    expect(input('Region').disabled).toBe(true);
    expect(note('region')?.textContent).toContain('Region: inherited from Base.');
    expect(snackBar.open).toHaveBeenCalledWith('Region inherits from “Base” again.', 'OK', expect.anything());
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('says nothing on a profile without a parent', async () => {
    await render({ ...CHILD, inherited: [] }, [{ ...LISTED, id: 1, name: 'Child' }]);
    expect(root.querySelector('[data-inherit-field]')).toBeNull();
    expect(input('Base URL').disabled).toBe(false);
  });
});
