import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';

import { ChangeRequestDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { SbLiveChanges } from '../../core/live-changes';
import { PROBLEM_HEADERS, provideConsoleTesting, SbLiveChangesStub, signInAs } from '../../testing';
import { SbChangeRequestsPageComponent } from './change-requests-page.component';

const REQUEST: ChangeRequestDto = {
  change_request_id: 5,
  profile_id: 2,
  profile_name: 'board deck',
  status: 'open',
  values: { ai_infra: { llm_temperature: 0.2 } },
  changes: { ai_infra: { llm_temperature: { old: 0.7, new: 0.2 } } },
  base_versions: { ai_infra: 3 },
  message: 'Calmer for the board',
  created_by: 'alice',
  created_at: '2026-11-26T12:00:00.000Z',
  decided_by: null,
  decided_at: null,
  comment: null,
};

describe('SbChangeRequestsPageComponent', () => {
  let fixture: ComponentFixture<SbChangeRequestsPageComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;
  let snack: { open: ReturnType<typeof vi.fn> };

  async function render(name: string, role: 'viewer' | 'editor', answer: ChangeRequestDto[] | 'error' = [REQUEST]): Promise<void> {
    snack = { open: vi.fn() };
    TestBed.configureTestingModule({ imports: [SbChangeRequestsPageComponent], providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: snack }] });
    const auth = TestBed.inject(SbAuthStore);
    signInAs(auth, role);
    auth.setPrincipal({ name, role, via: 'token', grants: [] });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbChangeRequestsPageComponent);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(root.textContent).toContain('Loading change requests…');
    flushList(answer, 'open');
    await fixture.whenStable();
  }

  function flushList(answer: ChangeRequestDto[] | 'error', status?: string): void {
    const request = backend.expectOne((candidate) => candidate.method === 'GET' && candidate.url === '/api/config/change-requests');
    expect(request.request.params.get('status')).toBe(status ?? null);
    if (answer === 'error') request.flush({ type: 'x', title: 'Bad Gateway', status: 502, detail: '' }, { status: 502, statusText: 'Bad Gateway', headers: PROBLEM_HEADERS });
    else request.flush(answer);
  }

  const button = (name: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name);

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows what a request changes, field by field, who asked and why', async () => {
    await render('bob', 'editor');
    const card = root.querySelector('[data-request="5"]')!;
    expect(card.textContent).toContain('#5 · board deck');
    expect(card.textContent).toContain('Proposed by alice');
    expect(card.textContent).toContain('“Calmer for the board”');
    const cells = [...card.querySelectorAll('tbody td')].map((cell) => cell.textContent?.trim());
    expect(cells).toEqual(['AI infrastructure', 'Temperature', '0.7', '0.2']);
  });

  it('shows a Genie space request space by space, as the history does', async () => {
    const space = '5a1e5'.padEnd(32, '0');
    await render('bob', 'editor', [{ ...REQUEST, values: { genie_spaces: [] }, changes: { genie_spaces: { [space]: { old: null, new: { space_name: 'Sales' } } } }, base_versions: {} }]);
    const cells = [...root.querySelectorAll('[data-request="5"] tbody td')].map((cell) => cell.textContent?.trim());
    expect(cells.slice(0, 3)).toEqual(['Genie spaces', 'Space 5a1e5000…', '(empty)']);
    expect(cells[3]).toContain('Sales');
  });

  it('lets another editor approve, and requires a comment to reject', async () => {
    await render('bob', 'editor');
    button('Reject')!.click();
    expect(snack.open).toHaveBeenCalledWith('Say why in the comment, then reject.', expect.anything(), expect.anything());
    const component = fixture.componentInstance as unknown as { comments: Record<number, string> };
    component.comments[5] = 'Fine';
    button('Approve')!.click();
    const approve = backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/config/change-requests/5/approve');
    expect(approve.request.body).toEqual({ comment: 'Fine' });
    approve.flush({ ...REQUEST, status: 'approved', decided_by: 'bob' });
    flushList([], 'open');
    await fixture.whenStable();
    expect(root.textContent).toContain('No open change request: nothing waits for a decision.');
  });

  it('rejects with the comment given', async () => {
    await render('bob', 'editor');
    (fixture.componentInstance as unknown as { comments: Record<number, string> }).comments[5] = 'Too cold';
    button('Reject')!.click();
    const reject = backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/config/change-requests/5/reject');
    expect(reject.request.body).toEqual({ comment: 'Too cold' });
    reject.flush({ ...REQUEST, status: 'rejected', decided_by: 'bob', comment: 'Too cold' });
    flushList([], 'open');
  });

  it("offers the author no decision on their own request, and viewers none at all", async () => {
    await render('alice', 'editor');
    expect(root.textContent).toContain('Yours: another editor decides on it.');
    expect(button('Approve')).toBeUndefined();
    TestBed.resetTestingModule();
    await render('vera', 'viewer');
    expect(button('Approve')).toBeUndefined();
    expect(root.textContent).not.toContain('Yours');
  });

  it('reads the list again when a request changes elsewhere, shows all on demand, and says when it cannot load', async () => {
    await render('bob', 'editor', []);
    (TestBed.inject(SbLiveChanges) as unknown as SbLiveChangesStub).changeRequests.next({ id: 5, profile_id: 2, status: 'open' });
    flushList([REQUEST], 'open');
    await fixture.whenStable();
    expect(root.querySelector('[data-request="5"]')).not.toBeNull();
    (fixture.componentInstance as unknown as { show(shown: string): void }).show('all');
    flushList('error');
    await fixture.whenStable();
    expect(root.textContent).toContain('The change requests could not be loaded.');
  });
});
