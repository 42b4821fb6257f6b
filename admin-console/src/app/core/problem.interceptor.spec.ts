import { HttpClient, HttpContext } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../testing';
import { SbAuthStore } from './auth.store';
import { SB_HANDLED_STATUSES, SbProblem } from './problem';

describe('the HTTP interceptors', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let auth: SbAuthStore;
  let snackBar: { open: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    snackBar = { open: vi.fn() };
    TestBed.configureTestingModule({ providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: snackBar }] });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(SbAuthStore);
    signInAs(auth, 'editor');
  });
  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('send the bearer token to /api only', async () => {
    const api = firstValueFrom(http.get('/api/config/status'));
    const other = firstValueFrom(http.get('/assets/x.json'));
    const apiRequest = backend.expectOne('/api/config/status');
    const otherRequest = backend.expectOne('/assets/x.json');
    expect(apiRequest.request.headers.get('Authorization')).toBe('Bearer sb_test-token');
    expect(otherRequest.request.headers.has('Authorization')).toBe(false);
    apiRequest.flush({});
    otherRequest.flush({});
    await Promise.all([api, other]);
  });

  it('turn problem+json into an SbProblem with its field errors, and a snackbar', async () => {
    const call = firstValueFrom(http.put('/api/config/ai-infra/1', {}));
    backend.expectOne('/api/config/ai-infra/1').flush(
      {
        type: 'urn:switchboard:problem:validation-failed',
        title: 'Unprocessable Entity',
        status: 422,
        detail: 'Some values are not acceptable.',
        errors: [
          { field: 'llm_temperature', message: 'llm_temperature must be at most 1' },
          { field: 'hello', message: 'hello is not a field this request accepts' },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    const problem = (await call.catch((error: unknown) => error)) as SbProblem;
    expect(problem).toBeInstanceOf(SbProblem);
    expect(problem.status).toBe(422);
    expect(problem.messageFor('llm_temperature')).toBe('llm_temperature must be at most 1');
    // A sentence for people: the first problem and how many more, not the server's generic summary.
    expect(snackBar.open).toHaveBeenCalledWith('Temperature must be at most 1; and 1 other problem.', 'Close', expect.anything());
  });

  it('leave statuses the caller handles to the caller: no snackbar', async () => {
    const call = firstValueFrom(http.put('/api/config/ai-infra/1', {}, { context: new HttpContext().set(SB_HANDLED_STATUSES, [412]) }));
    backend
      .expectOne('/api/config/ai-infra/1')
      .flush({ type: 'x', title: 'Precondition Failed', status: 412, detail: 'stale' }, { status: 412, statusText: 'Precondition Failed', headers: PROBLEM_HEADERS });
    const problem = (await call.catch((error: unknown) => error)) as SbProblem;
    expect(problem.status).toBe(412);
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it('sign out to the rejected-token screen on 401', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const call = firstValueFrom(http.get('/api/config/profiles'));
    backend
      .expectOne('/api/config/profiles')
      .flush({ type: 'x', title: 'Unauthorized', status: 401, detail: 'Invalid token' }, { status: 401, statusText: 'Unauthorized', headers: PROBLEM_HEADERS });
    await call.catch(() => undefined);
    expect(auth.token()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], expect.objectContaining({ queryParams: expect.objectContaining({ reason: 'rejected' }) }));
    expect(snackBar.open).not.toHaveBeenCalled();
  });
});
