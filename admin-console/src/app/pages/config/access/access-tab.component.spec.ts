import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';

import { ApiTokenDto, GrantDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { SbAccessTabComponent } from './access-tab.component';

const TOKEN = (id: number, name: string, role: ApiTokenDto['role'], revoked = false): ApiTokenDto => ({
  id,
  name,
  role,
  token_prefix: 'sb_abc',
  created_at: '2026-11-26T10:00:00.000Z',
  created_by: 'admin',
  last_used_at: null,
  revoked_at: revoked ? '2026-11-26T11:00:00.000Z' : null,
  revoked_by: revoked ? 'admin' : null,
});
const GRANT: GrantDto = {
  id: 7,
  profile_id: 3,
  token_id: 4,
  token_name: 'team-a',
  user: null,
  role: 'editor',
  granted_by: 'environment-admin',
  granted_at: '2026-11-26T12:00:00.000Z',
};

describe('SbAccessTabComponent', () => {
  let fixture: ComponentFixture<SbAccessTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(role: 'admin' | 'editor', grants: GrantDto[] | 'error' = [GRANT]): Promise<void> {
    TestBed.configureTestingModule({
      imports: [SbAccessTabComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }, { provide: MatDialog, useValue: { open: vi.fn(() => ({ afterClosed: () => of(true) })) } }],
    });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbAccessTabComponent);
    fixture.componentRef.setInput('profileId', 3);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    if (role !== 'admin') return;
    expect(root.textContent).toContain('Loading grants…');
    backend.expectOne('/api/auth/tokens').flush([TOKEN(4, 'team-a', 'viewer'), TOKEN(5, 'ops', 'editor'), TOKEN(6, 'old', 'viewer', true), TOKEN(1, 'root', 'admin')]);
    flushGrants(grants);
    await fixture.whenStable();
  }

  function flushGrants(grants: GrantDto[] | 'error', approval = false): void {
    backend
      .expectOne((candidate) => candidate.method === 'GET' && candidate.url === '/api/config/profiles/3/approval')
      .flush({ profile_id: 3, required: approval, required_by: approval ? 'admin' : null, required_at: approval ? '2026-11-26T12:00:00.000Z' : null });
    const request = backend.expectOne((candidate) => candidate.method === 'GET' && candidate.url === '/api/config/profiles/3/grants');
    if (grants === 'error') request.flush({ type: 'x', title: 'Bad Gateway', status: 502, detail: '' }, { status: 502, statusText: 'Bad Gateway', headers: PROBLEM_HEADERS });
    else request.flush(grants);
  }

  const button = (name: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name)!;

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('lists who holds a role here, and offers only tokens a grant changes something for', async () => {
    await render('admin');
    const row = root.querySelector('[data-grant="team-a"]')!;
    expect(row.textContent).toContain('team-a');
    expect(row.textContent).toContain('editor');
    expect(row.textContent).toContain('by environment-admin');
    const component = fixture.componentInstance as unknown as { tokens(): ApiTokenDto[] };
    expect(component.tokens().map((token) => token.name)).toEqual(['team-a', 'ops']);
  });

  it('says when nobody has a grant, and offers a retry when grants cannot be read', async () => {
    await render('admin', []);
    expect(root.textContent).toContain('No grant: everyone has their global role here.');
    TestBed.resetTestingModule();
    await render('admin', 'error');
    expect(root.textContent).toContain('The grants could not be loaded.');
    button('Try again').click();
    flushGrants([]);
  });

  it('grants a token a role, and a proxy user by address', async () => {
    await render('admin', []);
    const component = fixture.componentInstance as unknown as { form: { setValue(value: object): void } };
    expect(button('Grant').disabled).toBe(true);
    component.form.setValue({ kind: 'token', token: 5, user: '', role: 'viewer' });
    await fixture.whenStable();
    button('Grant').click();
    const granted = backend.expectOne((candidate) => candidate.method === 'PUT' && candidate.url === '/api/config/profiles/3/grants');
    expect(granted.request.body).toEqual({ token_id: 5, role: 'viewer' });
    granted.flush({ ...GRANT, id: 8, token_id: 5, token_name: 'ops', role: 'viewer' });
    flushGrants([{ ...GRANT, id: 8, token_id: 5, token_name: 'ops', role: 'viewer' }]);
    await fixture.whenStable();
    expect(root.querySelector('[data-grant="ops"]')?.textContent).toContain('viewer');

    component.form.setValue({ kind: 'user', token: null, user: 'not-an-address', role: 'editor' });
    await fixture.whenStable();
    expect(button('Grant').disabled).toBe(true);
    component.form.setValue({ kind: 'user', token: null, user: ' carol@corp.com ', role: 'editor' });
    await fixture.whenStable();
    button('Grant').click();
    const user = backend.expectOne((candidate) => candidate.method === 'PUT' && candidate.url === '/api/config/profiles/3/grants');
    expect(user.request.body).toEqual({ user: 'carol@corp.com', role: 'editor' });
    user.flush({ ...GRANT, id: 9, token_id: null, token_name: null, user: 'carol@corp.com' });
    flushGrants([]);
  });

  it('revokes a grant after confirmation', async () => {
    await render('admin');
    button('Revoke').click();
    backend.expectOne((candidate) => candidate.method === 'DELETE' && candidate.url === '/api/config/profiles/3/grants/7').flush(null, { status: 204, statusText: 'No Content' });
    flushGrants([]);
    await fixture.whenStable();
    expect(root.textContent).toContain('No grant');
  });

  it('tells others that only admins manage access, and asks the server nothing', async () => {
    await render('editor');
    expect(root.textContent).toContain('Only admins manage who may change this profile.');
  });

  it('turns approval on and off', async () => {
    await render('admin');
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="approval-toggle"] button')!;
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    toggle.click();
    backend.expectOne((candidate) => candidate.method === 'PUT' && candidate.url === '/api/config/profiles/3/approval').flush({ profile_id: 3, required: true, required_by: 'admin', required_at: '2026-11-26T12:00:00.000Z' });
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    toggle.click();
    backend.expectOne((candidate) => candidate.method === 'DELETE' && candidate.url === '/api/config/profiles/3/approval').flush({ profile_id: 3, required: false, required_by: null, required_at: null });
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });
});
