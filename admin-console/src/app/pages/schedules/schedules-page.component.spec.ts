import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { ProfileListItemDto, ScheduleDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { SbLiveChanges } from '../../core/live-changes';
import { PROBLEM_HEADERS, provideConsoleTesting, SbLiveChangesStub, signInAs } from '../../testing';
import { SbSchedulesPageComponent } from './schedules-page.component';

const PROFILE: ProfileListItemDto = {
  id: 2,
  name: 'Weekend',
  description: null,
  is_default: false,
  version: 1,
  created_at: '2026-11-26T12:00:00.000Z',
  updated_at: '2026-11-26T12:00:00.000Z',
  last_changed_at: '2026-11-26T12:00:00.000Z',
  last_changed_by: 'alice',
  live_sessions: 0,
  parent_profile_id: null,
};
const PENDING: ScheduleDto = {
  schedule_id: 7,
  profile_id: 2,
  profile_name: 'Weekend',
  action: 'set_default',
  values: null,
  run_at: '2026-11-28T18:00:00.000Z',
  status: 'pending',
  attempts: 0,
  last_error: null,
  created_by: 'alice',
  created_at: '2026-11-26T12:00:00.000Z',
  finished_at: null,
};

describe('SbSchedulesPageComponent', () => {
  let fixture: ComponentFixture<SbSchedulesPageComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(role: 'viewer' | 'editor', schedules: ScheduleDto[] | 'error'): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbSchedulesPageComponent], providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }] });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbSchedulesPageComponent);
    await fixture.whenStable();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([PROFILE]);
    const list = backend.expectOne('/api/config/schedules');
    if (schedules === 'error') list.flush({ type: 'x', title: 'Bad Gateway', status: 502, detail: '' }, { status: 502, statusText: 'Bad Gateway', headers: PROBLEM_HEADERS });
    else list.flush(schedules);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function button(name: string): HTMLButtonElement {
    return [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name)!;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('lists pending changes by day and what ran with its reason; viewers get no form and no actions', async () => {
    await render('viewer', [PENDING, { ...PENDING, schedule_id: 6, action: 'apply', status: 'failed', last_error: 'requires a passing probe', finished_at: '2026-11-26T13:00:00.000Z' }]);
    const rows = [...root.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(1, 4).map((cell) => cell.textContent!.trim()));
    expect(rows).toEqual([
      ['Weekend', 'Set as default', 'pending'],
      ['Weekend', 'Apply values', 'failed: requires a passing probe'],
    ]);
    expect(root.textContent).toContain('Ran or cancelled');
    expect(root.querySelector('form')).toBeNull();
    expect(root.querySelectorAll('tbody button').length).toBe(0);
  });

  it('reads the list again when a schedule runs, fails or is cancelled anywhere (event: schedule)', async () => {
    await render('viewer', [PENDING]);
    (TestBed.inject(SbLiveChanges) as unknown as SbLiveChangesStub).schedules.next({ id: PENDING.schedule_id, profile_id: 2, status: 'failed' });
    await new Promise((resolve) => setTimeout(resolve, 350)); // the page waits for a burst to settle
    backend.expectOne('/api/config/schedules').flush([{ ...PENDING, status: 'failed', last_error: 'requires a passing probe', finished_at: '2026-11-28T18:00:01.000Z' }]);
    await fixture.whenStable();
    expect(root.textContent).toContain('failed: requires a passing probe');
  });

  it('says when nothing is scheduled, and when the list cannot be read', async () => {
    await render('viewer', []);
    expect(root.textContent).toContain('Nothing scheduled yet.');
    TestBed.resetTestingModule();
    await render('viewer', 'error');
    expect(root.textContent).toContain('The scheduled changes could not be loaded.');
  });

  it('schedules values to apply at the local time given, shows the server refusing a time beside it, and cancels', async () => {
    await render('editor', [PENDING]);
    fixture.componentInstance['form'].setValue({ profile_id: 2, action: 'apply', run_at: '2026-11-28T19:30:00', values: '{"ai_infra": {"llm_temperature": 0.2}}' });
    await fixture.whenStable();
    button('Schedule').click();
    const refused = backend.expectOne((request) => request.method === 'POST' && request.url === '/api/config/schedules');
    expect(refused.request.body).toEqual({ profile_id: 2, action: 'apply', run_at: new Date('2026-11-28T19:30:00').toISOString(), values: { ai_infra: { llm_temperature: 0.2 } } });
    refused.flush(
      { type: 'urn:switchboard:problem:validation-failed', title: 'Unprocessable Entity', status: 422, detail: 'run_at must be at least 2 seconds ahead.', errors: [{ field: 'run_at', message: 'must be at least 2 seconds ahead' }] },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(root.textContent).toContain('must be at least 2 seconds ahead');

    button('Cancel').click();
    backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/config/schedules/7').flush(null, { status: 204, statusText: 'No Content' });
    backend.expectOne('/api/config/schedules').flush([{ ...PENDING, status: 'cancelled', finished_at: '2026-11-26T12:05:00.000Z' }]);
    await fixture.whenStable();
    expect(root.textContent).toContain('cancelled');
  });

  it('empties the form after scheduling, without showing its emptied fields as errors', async () => {
    await render('editor', []);
    fixture.componentInstance['form'].setValue({ profile_id: 2, action: 'set_default', run_at: '2026-11-28T19:30:00', values: '' });
    await fixture.whenStable();
    button('Schedule').click();
    const sent = backend.expectOne((request) => request.method === 'POST' && request.url === '/api/config/schedules');
    expect(sent.request.body).toEqual({ profile_id: 2, action: 'set_default', run_at: new Date('2026-11-28T19:30:00').toISOString() });
    sent.flush(PENDING);
    backend.expectOne('/api/config/schedules').flush([PENDING]);
    await fixture.whenStable();
    expect(fixture.componentInstance['form'].getRawValue()).toEqual({ profile_id: null, action: 'set_default', run_at: '', values: '' });
    expect(root.querySelector('.mat-form-field-invalid')).toBeNull();
  });

  it('does not send values that are not a JSON object', async () => {
    await render('editor', []);
    fixture.componentInstance['form'].setValue({ profile_id: 2, action: 'apply', run_at: '2026-11-28T19:30:00', values: '[1, 2]' });
    await fixture.whenStable();
    button('Schedule').click();
    await fixture.whenStable();
    expect(root.textContent).toContain('Values must be a JSON object.');
    backend.expectNone('/api/config/schedules');
  });
});
