import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';

import { ApiTokenDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../testing';
import { SbNewTokenDialogComponent } from './new-token-dialog.component';
import { SbTokensPageComponent } from './tokens-page.component';

const ACTIVE: ApiTokenDto = {
  id: 4,
  name: 'slide-agent',
  role: 'agent',
  token_prefix: 'sb_k3Yq',
  created_at: '2026-11-25T10:00:00.000Z',
  created_by: 'alice',
  last_used_at: null,
  revoked_at: null,
  revoked_by: null,
};
const REVOKED: ApiTokenDto = { ...ACTIVE, id: 2, name: 'old-ci', role: 'editor', revoked_at: '2026-11-25T11:00:00.000Z', revoked_by: 'alice' };

describe('SbTokensPageComponent', () => {
  let backend: HttpTestingController;
  let dialog: { open: ReturnType<typeof vi.fn> };

  async function render(role: 'admin' | 'editor', answer: unknown = false) {
    dialog = { open: vi.fn(() => ({ afterClosed: () => of(answer) })) };
    TestBed.configureTestingModule({
      imports: [SbTokensPageComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }, { provide: MatDialog, useValue: dialog }],
    });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SbTokensPageComponent);
    await fixture.whenStable();
    return fixture;
  }
  const rows = (root: HTMLElement) => [...root.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent!.trim().replace(/\s+/g, ' ')));

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('lists the tokens, active first, with role, prefix, last use and who revoked', async () => {
    const fixture = await render('admin');
    backend.expectOne('/api/auth/tokens').flush([REVOKED, ACTIVE]);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(rows(root).map((cells) => cells.slice(0, 3).concat(cells[4]!, cells[5]!.replace(/Revoked .* by/, 'Revoked … by')))).toEqual([
      ['slide-agent', 'agent', 'sb_k3Yq…', 'never', 'Active'],
      ['old-ci', 'editor', 'sb_k3Yq…', 'never', 'Revoked … by alice'],
    ]);
    expect(root.querySelectorAll('tbody button').length).toBe(1);
    expect(root.textContent).toContain('1 active, 1 revoked.');
  });

  it('says when the tokens could not be loaded, and tries again', async () => {
    const fixture = await render('admin');
    backend.expectOne('/api/auth/tokens').flush({ type: 'x', title: 'Unavailable', status: 503, detail: 'Down' }, { status: 503, statusText: 'Unavailable', headers: PROBLEM_HEADERS });
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('The tokens could not be loaded.');
    root.querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    backend.expectOne('/api/auth/tokens').flush([]);
    await fixture.whenStable();
    expect(root.textContent).toContain('No token yet');
  });

  it('revokes only after confirmation', async () => {
    const fixture = await render('admin', true);
    backend.expectOne('/api/auth/tokens').flush([ACTIVE]);
    await fixture.whenStable();
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('tbody button')!.click();
    expect(dialog.open).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ data: expect.objectContaining({ title: 'Revoke “slide-agent”?' }) }));
    backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/auth/tokens/4').flush({ ...ACTIVE, revoked_at: '2026-11-26T00:00:00Z' });
    backend.expectOne('/api/auth/tokens').flush([{ ...ACTIVE, revoked_at: '2026-11-26T00:00:00Z' }]);
  });

  it('is for admins only: an editor is told so and nothing is asked of the server', async () => {
    const fixture = await render('editor');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Only admins manage API tokens.');
    backend.expectNone('/api/auth/tokens');
  });
});

describe('SbNewTokenDialogComponent', () => {
  it('creates the token and shows its secret once, closing without it', async () => {
    const ref = { close: vi.fn(), disableClose: false };
    TestBed.configureTestingModule({ imports: [SbNewTokenDialogComponent], providers: [...provideConsoleTesting(), { provide: MatDialogRef, useValue: ref }] });
    signInAs(TestBed.inject(SbAuthStore), 'admin');
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SbNewTokenDialogComponent);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const name = root.querySelector<HTMLInputElement>('[data-testid="token-name"]')!;
    name.value = '  pipeline  ';
    name.dispatchEvent(new Event('input'));
    root.querySelector<HTMLFormElement>('form')!.dispatchEvent(new Event('submit'));
    const request = backend.expectOne((candidate) => candidate.method === 'POST' && candidate.url === '/api/auth/tokens');
    expect(request.request.body).toEqual({ name: 'pipeline', role: 'agent' });
    request.flush({ ...ACTIVE, name: 'pipeline', token: 'sb_secret-shown-once' });
    await fixture.whenStable();
    expect(root.querySelector<HTMLInputElement>('[data-testid="token-secret"]')!.value).toBe('sb_secret-shown-once');
    expect(root.textContent).toContain('it is never shown again');
    expect(ref.disableClose).toBe(true);
    [...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Done')!.click();
    expect(ref.close).toHaveBeenCalledWith(expect.objectContaining({ name: 'pipeline', token: '' }));
    backend.verify();
    sessionStorage.clear();
  });
});
