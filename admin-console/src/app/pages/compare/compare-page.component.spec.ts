import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { ProfileComparisonDto, ProfileListItemDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { provideConsoleTesting, signInAs } from '../../testing';
import { SbComparePageComponent } from './compare-page.component';

const SPACE = '0123456789abcdef0123456789abcdef';
const OTHER_SPACE = 'fedcba9876543210fedcba9876543210';

function profile(id: number, name: string): ProfileListItemDto {
  return { id, name, description: null, is_default: id === 1, version: 1, created_at: '2026-11-23T12:00:00.000Z', updated_at: '2026-11-23T12:00:00.000Z', last_changed_at: '2026-11-23T12:00:00.000Z', last_changed_by: null, live_sessions: 0, parent_profile_id: null };
}

const DIFFERENT: ProfileComparisonDto = {
  left: { profile_id: 1, entry_id: null, profile_name: 'default' },
  right: { profile_id: 2, entry_id: null, profile_name: 'High Creativity' },
  identical: false,
  differences: {
    profile: { name: { left: 'default', right: 'High Creativity' } },
    ai_infra: { llm_temperature: { left: 0.7, right: 0.95 } },
    genie: {
      [`${SPACE}.space_name`]: { left: 'Sales', right: 'Sales EU' },
      [OTHER_SPACE]: { left: null, right: { space_id: OTHER_SPACE, space_name: 'Ops', description: null, is_default: false } },
    },
    mlflow: {},
    prompts: {},
    domains: {},
  },
};

describe('SbComparePageComponent', () => {
  let fixture: ComponentFixture<SbComparePageComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(params: Record<string, string>): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbComparePageComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'viewer');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbComparePageComponent);
    for (const [name, value] of Object.entries(params)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([profile(1, 'default'), profile(2, 'High Creativity')]);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function expectCompare(): TestRequest {
    return backend.expectOne((request) => request.url === '/api/config/compare');
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('asks for a side in the URL and waits for the other', async () => {
    await render({ left_profile_id: '1' });
    expect(root.textContent).toContain('Choose both sides, then Compare.');
    expect(root.querySelector<HTMLButtonElement>('[data-testid="compare-run"]')!.disabled).toBe(true);
    backend.expectNone((request) => request.url === '/api/config/compare');
  });

  it('shows the differing fields per domain, left beside right, Genie spaces by space id', async () => {
    await render({ left_profile_id: '1', right_profile_id: '2' });
    const compare = expectCompare();
    expect(compare.request.params.get('left_profile_id')).toBe('1');
    expect(compare.request.params.get('right_profile_id')).toBe('2');
    compare.flush(DIFFERENT);
    await fixture.whenStable();

    expect([...root.querySelectorAll('[data-domain]')].map((section) => section.getAttribute('data-domain'))).toEqual(['profile', 'ai_infra', 'genie']);
    const temperature = root.querySelector('[data-domain="ai_infra"] tr[data-field="llm_temperature"]')!;
    expect(temperature.querySelector('[data-testid="before"]')!.textContent).toBe('0.7');
    expect(temperature.querySelector('[data-testid="after"]')!.textContent).toBe('0.95');
    expect(root.querySelector('[data-domain="ai_infra"] thead')!.textContent).toContain('Left: default');
    expect(root.querySelector('[data-domain="ai_infra"] thead')!.textContent).toContain('Right: High Creativity');
    const genie = root.querySelector('[data-domain="genie"]')!;
    expect(genie.querySelector(`tr[data-field="${SPACE}.space_name"]`)!.textContent).toContain(`Space ${SPACE.slice(0, 8)}… · Name`);
    expect(temperature.querySelector('th')!.textContent!.trim()).toBe('Temperature');
    // A space on one side only: its whole definition, as people read it (not JSON).
    const whole = genie.querySelector(`tr[data-field="${OTHER_SPACE}"]`)!.textContent!;
    expect(whole).not.toContain('{');
    expect(whole).toContain(`(space ${OTHER_SPACE}`);
    expect(root.textContent).toContain('1 field differs');
  });

  it('compares a history entry’s snapshot with a profile, and says when they are identical', async () => {
    await render({ left_entry_id: '42', right_profile_id: '1' });
    expect(fixture.componentInstance.form.getRawValue().left).toEqual({ kind: 'entry', profile: null, entry: 42 });
    const compare = expectCompare();
    expect(compare.request.params.get('left_entry_id')).toBe('42');
    expect(compare.request.params.has('left_profile_id')).toBe(false);
    compare.flush({
      left: { profile_id: 1, entry_id: 42, profile_name: 'default' },
      right: { profile_id: 1, entry_id: null, profile_name: 'default' },
      identical: true,
      differences: { profile: {}, ai_infra: {}, genie: {}, mlflow: {}, prompts: {}, domains: {} },
    } satisfies ProfileComparisonDto);
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="compare-left-name"]')!.textContent).toBe('default (history entry #42)');
    expect(root.textContent).toContain('Identical: no field differs');
    expect(root.querySelector('[data-domain]')).toBeNull();
  });

  it('shows the error state, and compares again on retry', async () => {
    await render({ left_profile_id: '1', right_profile_id: '2' });
    expectCompare().flush({ title: 'Not Found', status: 404, detail: 'No profile 2' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(root.textContent).toContain('The comparison could not be made.');
    [...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Try again')!.click();
    await fixture.whenStable();
    expectCompare().flush(DIFFERENT);
    await fixture.whenStable();
    expect(root.querySelector('[data-domain="ai_infra"]')).not.toBeNull();
  });
});
