import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';

import { ProfileListItemDto, RolloutDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { SbProfileStore } from '../../core/profile.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../testing';
import { SbRolloutPanelComponent } from './rollout-panel.component';

const PROFILE = (id: number, name: string): ProfileListItemDto => ({
  id,
  name,
  description: null,
  is_default: id === 1,
  version: 1,
  created_at: '2026-11-26T12:00:00.000Z',
  updated_at: '2026-11-26T12:00:00.000Z',
  last_changed_at: '2026-11-26T12:00:00.000Z',
  last_changed_by: null,
  live_sessions: 0,
  parent_profile_id: null,
});
const ROLLOUT: RolloutDto = {
  profile_id: 1,
  candidate_profile_id: 2,
  candidate_name: 'candidate',
  percentage: 20,
  started_by: 'alice',
  started_at: '2026-11-26T12:00:00.000Z',
  updated_at: '2026-11-26T12:00:00.000Z',
};
const NOT_FOUND = { type: 'urn:switchboard:problem:not-found', title: 'Not Found', status: 404, detail: 'Profile 1 has no rollout.' };

describe('SbRolloutPanelComponent', () => {
  let fixture: ComponentFixture<SbRolloutPanelComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;
  let dialog: { open: ReturnType<typeof vi.fn> };

  async function render(role: 'viewer' | 'editor', answer: RolloutDto | 'none' | 'error', grants: { profile_id: number; profile_name: string; role: 'viewer' | 'editor' }[] = []): Promise<void> {
    dialog = { open: vi.fn(() => ({ afterClosed: () => of(true) })) };
    TestBed.configureTestingModule({
      imports: [SbRolloutPanelComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }, { provide: MatDialog, useValue: dialog }],
    });
    signInAs(TestBed.inject(SbAuthStore), role, grants);
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SbProfileStore).refresh().subscribe();
    backend.expectOne((candidate) => candidate.url === '/api/config/profiles').flush([PROFILE(1, 'default'), PROFILE(2, 'candidate')]);
    fixture = TestBed.createComponent(SbRolloutPanelComponent);
    fixture.componentRef.setInput('profileId', 1);
    await fixture.whenStable();
    expect(root_text()).toContain('Reading the rollout…');
    flushRollout(answer);
    await fixture.whenStable();
  }

  function root_text(): string {
    root = fixture.nativeElement as HTMLElement;
    return root.textContent ?? '';
  }

  function flushRollout(answer: RolloutDto | 'none' | 'error'): void {
    const request = backend.expectOne((candidate) => candidate.method === 'GET' && candidate.url === '/api/config/profiles/1/rollout');
    if (answer === 'none') request.flush(NOT_FOUND, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    else if (answer === 'error') request.flush({ type: 'x', title: 'Bad Gateway', status: 502, detail: '' }, { status: 502, statusText: 'Bad Gateway', headers: PROBLEM_HEADERS });
    else request.flush(answer);
  }

  function button(name: string): HTMLButtonElement {
    return [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name)!;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows the split to viewers, without actions', async () => {
    await render('viewer', ROLLOUT);
    expect(root_text()).toContain('20 % of subjects and new sessions go to “candidate”, the rest stay here (80 %).');
    expect(root.querySelectorAll('button').length).toBe(0);
  });

  it('says when there is none, offers a retry when it cannot be read', async () => {
    await render('viewer', 'none');
    expect(root_text()).toContain('No rollout: every agent gets this profile.');
    TestBed.resetTestingModule();
    await render('viewer', 'error');
    expect(root_text()).toContain('The rollout could not be read.');
    button('Retry').click();
    flushRollout('none');
    await fixture.whenStable();
    expect(root_text()).toContain('No rollout');
  });

  it('starts a rollout to the chosen candidate, then moves its percentage', async () => {
    await render('editor', 'none');
    const component = fixture.componentInstance as unknown as { form: { setValue(value: object): void } };
    component.form.setValue({ candidate: 2, percentage: 15 });
    await fixture.whenStable();
    button('Start rollout').click();
    const started = backend.expectOne((candidate) => candidate.method === 'PUT' && candidate.url === '/api/config/profiles/1/rollout');
    expect(started.request.body).toEqual({ candidate_profile_id: 2, percentage: 15 });
    started.flush({ ...ROLLOUT, percentage: 15 });
    flushRollout({ ...ROLLOUT, percentage: 15 });
    await fixture.whenStable();
    expect(root_text()).toContain('15 % of subjects');

    const percentage = root.querySelector<HTMLInputElement>('[data-testid="rollout-percentage"]')!;
    percentage.value = '40';
    percentage.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    button('Set percentage').click();
    const raised = backend.expectOne((candidate) => candidate.method === 'PUT' && candidate.url === '/api/config/profiles/1/rollout');
    expect(raised.request.body).toEqual({ candidate_profile_id: 2, percentage: 40 });
    raised.flush({ ...ROLLOUT, percentage: 40 });
    flushRollout({ ...ROLLOUT, percentage: 40 });
  });

  it('promotes and aborts after confirmation', async () => {
    await render('editor', ROLLOUT);
    button('Promote…').click();
    expect(dialog.open).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ data: expect.objectContaining({ title: 'Promote “candidate”?' }) }));
    backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/config/profiles/1/rollout/promote').flush({ id: 1 });
    flushRollout(ROLLOUT);
    await fixture.whenStable();
    button('Abort…').click();
    backend.expectOne((candidate) => candidate.method === 'DELETE' && candidate.url === '/api/config/profiles/1/rollout').flush(null, { status: 204, statusText: 'No Content' });
    flushRollout('none');
  });

  it('follows grants on this profile: a viewer granted editor gets the actions, an editor granted viewer does not', async () => {
    await render('viewer', ROLLOUT, [{ profile_id: 1, profile_name: 'default', role: 'editor' }]);
    expect(button('Promote…')).toBeDefined();
    TestBed.resetTestingModule();
    await render('editor', ROLLOUT, [{ profile_id: 1, profile_name: 'default', role: 'viewer' }]);
    expect(root.querySelectorAll('button').length).toBe(0);
  });
});
