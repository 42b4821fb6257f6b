import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ConfigStatusDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../testing';
import { SbInstancePageComponent } from './instance-page.component';

const STATUS: ConfigStatusDto = {
  status: 'ok',
  instance_id: 'switchboard-a',
  started_at: '2026-11-26T01:00:00.000Z',
  profiles: 3,
  default_profile: { id: 1, name: 'default' },
  sessions: 2,
  last_change: '2026-11-26T02:00:00.000Z',
  last_reload: null,
  listener: { connected: true, connected_since: '2026-11-26T01:00:01.000Z', reconnects: 1, notifications: 42, last_notification_at: '2026-11-26T02:00:00.000Z' },
  cached_profiles: 2,
  instances: [
    { instance_id: 'switchboard-a', host: 'web-1', pid: 41, version: '0.1.0', started_at: '2026-11-26T01:00:00.000Z', heartbeat_at: '2026-11-26T02:00:00.000Z', listener_connected: true, last_applied_history_id: 120, current: true },
    { instance_id: 'switchboard-b', host: 'web-2', pid: 42, version: '0.1.0', started_at: '2026-11-26T01:00:00.000Z', heartbeat_at: '2026-11-26T02:00:00.000Z', listener_connected: false, last_applied_history_id: 118, current: false },
  ],
};

describe('SbInstancePageComponent', () => {
  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
  });

  it('shows the status, reads it again every 5 s, and says when the listener is down', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({ imports: [SbInstancePageComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'viewer');
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SbInstancePageComponent);
    backend.expectOne('/api/config/status').flush(STATUS);
    fixture.detectChanges();
    const text = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid="instance-status"]')?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text()).toContain('switchboard-a');
    expect(text()).toMatch(/Yes, since .*: 42 notifications, 1 reconnection/);
    expect(text()).toContain('3, default default; 2 held in memory');
    const rows = [...(fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="instances"] tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(rows[0]).toEqual(['switchbothis one', 'web-1 · pid 41', '0.1.0', expect.stringMatching(/2026/), 'Yes', '#120']);
    expect(rows[1]).toEqual(['switchbo', 'web-2 · pid 42', '0.1.0', expect.stringMatching(/2026/), 'No: retrying', '#118 (behind)']);

    vi.advanceTimersByTime(5000);
    backend.expectOne('/api/config/status').flush({ ...STATUS, listener: { ...STATUS.listener, connected: false } });
    fixture.detectChanges();
    expect(text()).toContain('No: its LISTEN connection is down');

    // A periodic read that fails keeps the last figures.
    vi.advanceTimersByTime(5000);
    backend.expectOne('/api/config/status').flush({ title: 'x', status: 503 }, { status: 503, statusText: 'Unavailable', headers: PROBLEM_HEADERS });
    fixture.detectChanges();
    expect(text()).toContain('switchboard-a');
    backend.verify();
    fixture.destroy();
  });
});
