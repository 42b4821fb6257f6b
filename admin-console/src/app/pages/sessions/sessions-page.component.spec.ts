import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';

import { AgentSessionSummaryDto, ProfileListItemDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { provideConsoleTesting, signInAs } from '../../testing';
import { SbSessionsPageComponent } from './sessions-page.component';

const PROFILE: ProfileListItemDto = {
  id: 1,
  name: 'default',
  description: null,
  is_default: true,
  version: 1,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
  last_changed_at: '2026-11-23T12:00:00.000Z',
  last_changed_by: 'alice',
  live_sessions: 1,
  parent_profile_id: null,
};
const SESSION: AgentSessionSummaryDto = {
  session_id: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c',
  profile_id: 1,
  profile_name: 'default',
  created_at: '2026-11-26T01:00:00.000Z',
  last_seen_at: '2026-11-26T02:00:00.000Z',
  live: true,
  messages: 4,
  pinned_version: null,
};

describe('SbSessionsPageComponent', () => {
  let fixture: ComponentFixture<SbSessionsPageComponent>;
  let backend: HttpTestingController;
  let dialog: { open: ReturnType<typeof vi.fn> };

  async function render(role: 'viewer' | 'editor', profileId?: number, grants: { profile_id: number; profile_name: string; role: 'viewer' | 'editor' }[] = []): Promise<HTMLElement> {
    dialog = { open: vi.fn(() => ({ afterClosed: () => of(true) })) };
    TestBed.configureTestingModule({
      imports: [SbSessionsPageComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }, { provide: MatDialog, useValue: dialog }],
    });
    signInAs(TestBed.inject(SbAuthStore), role, grants);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbSessionsPageComponent);
    if (profileId !== undefined) fixture.componentRef.setInput('profile_id', String(profileId));
    await fixture.whenStable();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([PROFILE, { ...PROFILE, id: 2, name: 'other', is_default: false, live_sessions: 0 }]);
    return fixture.nativeElement as HTMLElement;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it("lists the sessions with profile, state, last seen and turns; a profile's only, from the address", async () => {
    const root = await render('viewer', 1);
    const request = backend.expectOne((candidate) => candidate.url === '/api/agent/sessions');
    expect(request.request.params.get('profile_id')).toBe('1');
    request.flush([SESSION, { ...SESSION, session_id: '11111111-2222-4333-8444-555555555555', live: false, messages: 0, pinned_version: 42 }], { headers: { 'X-Total-Count': '2' } });
    await fixture.whenStable();
    const rows = [...root.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(0, 6).map((cell) => cell.textContent!.trim()));
    expect(rows).toEqual([
      ['6f1c1f7e', 'default', 'Live', 'Follows', expect.stringMatching(/2026/), '4'],
      ['11111111', 'default', 'Idle', 'Pinned at #42', expect.stringMatching(/2026/), '0'],
    ]);
    expect(root.querySelectorAll('tbody button').length).toBe(0); // viewers only look
    expect(root.textContent).toContain('2 sessions.');
  });

  it('says so when no session uses the profile', async () => {
    const root = await render('viewer', 2);
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([], { headers: { 'X-Total-Count': '0' } });
    await fixture.whenStable();
    expect(root.textContent).toContain('No session uses this profile.');
  });

  it('ends a session after confirmation, then reads the list and the profiles again', async () => {
    const root = await render('editor');
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([SESSION], { headers: { 'X-Total-Count': '1' } });
    await fixture.whenStable();
    [...root.querySelectorAll<HTMLButtonElement>('tbody button')].find((button) => button.textContent?.trim() === 'End')!.click();
    expect(dialog.open).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ data: expect.objectContaining({ title: 'End session 6f1c1f7e?' }) }));
    backend.expectOne((candidate) => candidate.method === 'DELETE' && candidate.url === `/api/agent/sessions/${SESSION.session_id}`).flush(null, { status: 204, statusText: 'No Content' });
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([], { headers: { 'X-Total-Count': '0' } });
    backend.expectOne((candidate) => candidate.url === '/api/config/profiles').flush([{ ...PROFILE, live_sessions: 0 }]);
  });

  it('pins a following session and unpins a pinned one, on the profile it uses', async () => {
    const root = await render('editor');
    const pinned = { ...SESSION, session_id: '11111111-2222-4333-8444-555555555555', pinned_version: 42 };
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([SESSION, pinned], { headers: { 'X-Total-Count': '2' } });
    await fixture.whenStable();
    const button = (session: string, label: string) =>
      [...root.querySelectorAll<HTMLButtonElement>(`tr[data-session="${session}"] button`)].find((candidate) => candidate.textContent?.trim() === label)!;
    button(SESSION.session_id, 'Pin').click();
    const pin = backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/config/profiles/1/load');
    expect(pin.request.body).toEqual({ session_id: SESSION.session_id, pin: true });
    pin.flush({});
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([{ ...SESSION, pinned_version: 43 }, pinned], { headers: { 'X-Total-Count': '2' } });
    backend.expectOne((candidate) => candidate.url === '/api/config/profiles').flush([PROFILE]);
    await fixture.whenStable();
    button(pinned.session_id, 'Unpin').click();
    const unpin = backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/config/profiles/1/load');
    expect(unpin.request.body).toEqual({ session_id: pinned.session_id, pin: false });
    unpin.flush({});
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([], { headers: { 'X-Total-Count': '0' } });
    backend.expectOne((candidate) => candidate.url === '/api/config/profiles').flush([PROFILE]);
  });

  it('offers what grants allow: a viewer granted editor on a profile pins its sessions and moves sessions there, but ends none', async () => {
    const root = await render('viewer', undefined, [{ profile_id: 2, profile_name: 'other', role: 'editor' }]);
    const elsewhere = { ...SESSION, session_id: '22222222-2222-4333-8444-555555555555', profile_id: 2, profile_name: 'other' };
    backend.expectOne((candidate) => candidate.url === '/api/agent/sessions').flush([SESSION, elsewhere], { headers: { 'X-Total-Count': '2' } });
    await fixture.whenStable();
    const labels = (session: string) => [...root.querySelectorAll<HTMLButtonElement>(`tr[data-session="${session}"] button`)].map((button) => button.textContent?.trim());
    expect(labels(SESSION.session_id)).toEqual(['Move to…']);
    expect(labels(elsewhere.session_id)).toEqual(['Pin']);
  });
});
