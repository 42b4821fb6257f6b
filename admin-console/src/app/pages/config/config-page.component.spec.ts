import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { SbAuthStore } from '../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../testing';
import { SbConfigPageComponent } from './config-page.component';
import { SbDirtyTabs } from './dirty-tabs';

describe('SbConfigPageComponent', () => {
  let backend: HttpTestingController;
  const snackBar = { open: vi.fn() };

  async function render(profileId: number) {
    TestBed.configureTestingModule({
      imports: [SbConfigPageComponent],
      providers: [...provideConsoleTesting(), SbDirtyTabs, { provide: MatSnackBar, useValue: snackBar }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SbConfigPageComponent);
    fixture.componentRef.setInput('profileId', profileId);
    await fixture.whenStable();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([]);
    // The rollout panel's read (its own spec covers it): no rollout.
    for (const request of backend.match((candidate) => candidate.url === `/api/config/profiles/${profileId}/rollout`)) {
      request.flush({ type: 'x', title: 'Not Found', status: 404, detail: 'No rollout.' }, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    }
    return fixture;
  }

  function flushApproval(profileId: number, required: boolean): void {
    backend
      .expectOne((candidate) => candidate.url === `/api/config/profiles/${profileId}/approval`)
      .flush({ profile_id: profileId, required, required_by: required ? 'admin' : null, required_at: required ? '2026-11-26T12:00:00.000Z' : null });
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows one "not found" screen, not a failing tab, for a profile the server does not know', async () => {
    const fixture = await render(999);
    backend
      .expectOne('/api/config/profiles/999/approval')
      .flush({ type: 'x', title: 'Not Found', status: 404, detail: 'Profile 999 does not exist.' }, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    backend
      .expectOne('/api/config/profiles/999')
      .flush({ type: 'x', title: 'Not Found', status: 404, detail: 'Profile 999 does not exist.' }, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid="profile-not-found"]')?.textContent).toContain('Profile 999 not found');
    expect(root.querySelector('nav')).toBeNull();
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it('asks before the tab is closed or reloaded while a tab holds unsaved work, and only then', async () => {
    const fixture = await render(1);
    flushApproval(1, false);
    backend.expectOne('/api/config/profiles/1').flush({ id: 1 });
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    const dirty = TestBed.inject(SbDirtyTabs) as unknown as { set(tab: string, value: boolean): void };
    dirty.set('ai-infra', true);
    expect(unload()).toBe(true);
    fixture.destroy();
  });

  it('tells editors that saving proposes a change request on a profile that requires approval', async () => {
    const fixture = await render(1);
    flushApproval(1, true);
    backend.expectOne('/api/config/profiles/1').flush({ id: 1 });
    await fixture.whenStable();
    const note = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="approval-note"]');
    expect(note?.textContent).toContain('Changes here need approval: saving values or Genie spaces, or restoring, proposes a change request');
  });
});
