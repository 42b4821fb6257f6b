import { HttpEventType } from '@angular/common/http';
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { provideConsoleTesting, signInAs } from '../testing';
import { SbAuthStore } from './auth.store';
import { SbChange, SbChangeRequestEvent, SbLiveChanges, SbReload, SbScheduleEvent } from './live-changes';

const CHANGE: SbChange = {
  history_id: 41,
  profile_id: 1,
  profile_name: 'default',
  domain: 'ai_infra',
  item: null,
  action: 'update',
  version: 3,
  session_id: null,
  changed_by: 'alice',
  timestamp: '2026-11-26T02:00:00.000Z',
};

describe('SbLiveChanges', () => {
  let backend: HttpTestingController;
  let live: SbLiveChanges;
  let auth: SbAuthStore;

  beforeEach(() => {
    vi.useFakeTimers();
    // The real service, not the stub the other component tests get.
    TestBed.configureTestingModule({ providers: [...provideConsoleTesting(), { provide: SbLiveChanges, useClass: SbLiveChanges }] });
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(SbAuthStore);
    live = TestBed.inject(SbLiveChanges);
  });
  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
  });

  const open = (): TestRequest => {
    TestBed.tick();
    return backend.expectOne((request) => request.url === '/api/config/stream');
  };
  const send = (request: TestRequest, text: string) => request.event({ type: HttpEventType.DownloadProgress, loaded: text.length, partialText: text });

  it('opens the stream once signed in, with the token, and reads events as they arrive, across chunks', () => {
    backend.expectNone('/api/config/stream');
    signInAs(auth, 'viewer');
    const request = open();
    expect(request.request.headers.get('Authorization')).toBe('Bearer sb_test-token');
    expect(request.request.headers.get('Accept')).toBe('text/event-stream');
    expect(live.state()).toBe('connecting');
    request.event({ type: HttpEventType.ResponseHeader, headers: request.request.headers, status: 200, statusText: 'OK', url: '', ok: true } as never);
    expect(live.state()).toBe('live');

    const changes: SbChange[] = [];
    const reloads: SbReload[] = [];
    const requests: SbChangeRequestEvent[] = [];
    live.changes.subscribe((change) => changes.push(change));
    live.reloads.subscribe((reload) => reloads.push(reload));
    live.changeRequests.subscribe((request) => requests.push(request));
    const schedules: SbScheduleEvent[] = [];
    live.schedules.subscribe((schedule) => schedules.push(schedule));
    const frame = `id: 41\nevent: config.changed\ndata: ${JSON.stringify(CHANGE)}\n\n`;
    let text = 'retry: 2000\n: connected\n\n' + frame.slice(0, 30);
    send(request, text);
    expect(changes).toEqual([]);
    text += frame.slice(30) + 'event: config.reload\ndata: {"profile_id":null,"reason":"external"}\n\n';
    text += 'event: change-request\ndata: {"id":7,"profile_id":1,"status":"open"}\n\n';
    text += 'event: schedule\ndata: {"id":3,"profile_id":1,"status":"failed"}\n\n';
    send(request, text);
    expect(changes).toEqual([CHANGE]);
    expect(reloads).toEqual([{ profile_id: null, reason: 'external' }]);
    expect(requests).toEqual([{ id: 7, profile_id: 1, status: 'open' }]);
    expect(schedules).toEqual([{ id: 3, profile_id: 1, status: 'failed' }]);
  });

  it('after a drop, says so, backs off and resumes from the last event id', () => {
    signInAs(auth, 'viewer');
    const first = open();
    send(first, `id: 41\nevent: config.changed\ndata: ${JSON.stringify(CHANGE)}\n\n`);
    first.flush('', { status: 503, statusText: 'Unavailable' });
    expect(live.state()).toBe('reconnecting');
    backend.expectNone('/api/config/stream');
    vi.advanceTimersByTime(1000);
    const second = backend.expectOne('/api/config/stream');
    expect(second.request.headers.get('Last-Event-ID')).toBe('41');
    second.error(new ProgressEvent('error'));
    vi.advanceTimersByTime(1999);
    backend.expectNone('/api/config/stream');
    vi.advanceTimersByTime(1);
    backend.expectOne('/api/config/stream');
  });

  it('closes the stream on sign-out', () => {
    signInAs(auth, 'viewer');
    const request = open();
    auth.clear();
    TestBed.tick();
    expect(request.cancelled).toBe(true);
    expect(live.state()).toBe('off');
  });
});
