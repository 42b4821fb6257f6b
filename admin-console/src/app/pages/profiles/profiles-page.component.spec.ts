import { HttpRequest } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { of } from 'rxjs';

import { ProfileExportDto, ProfileListItemDto } from '../../api/models';
import { SbAuthStore } from '../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../testing';
import { filterProfiles } from '../../core/profile.store';
import { exportFileName, SbProfilesPageComponent } from './profiles-page.component';

const DEFAULT: ProfileListItemDto = {
  id: 1,
  name: 'default',
  description: null,
  is_default: true,
  version: 2,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
  last_changed_at: '2026-11-23T12:00:00.000Z',
  last_changed_by: 'alice',
  live_sessions: 0,
  parent_profile_id: null,
};
const IN_USE: ProfileListItemDto = { ...DEFAULT, id: 2, name: 'In use', is_default: false, live_sessions: 2 };
const FREE: ProfileListItemDto = { ...DEFAULT, id: 3, name: 'Free', is_default: false };

const isList = (request: HttpRequest<unknown>) => request.method === 'GET' && request.url === '/api/config/profiles';
/** The page's own reads (the store's, for the toolbar, ask for everything without an offset). */
const isPage = (request: HttpRequest<unknown>) => isList(request) && request.params.has('offset');

/** Answers every read of the list: after an action, this page's and the toolbar's. */
function flushLists(backend: HttpTestingController, profiles: ProfileListItemDto[]): void {
  const requests = backend.match(isList);
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) request.flush(profiles, { headers: { 'X-Total-Count': String(profiles.length) } });
}

const DOCUMENT = {
  format: 'switchboard.profile',
  format_version: 1,
  profile: { name: 'default', description: null, ai_infra: {}, genie_spaces: [], mlflow: {}, prompts: {} },
} as unknown as ProfileExportDto;

describe('exportFileName', () => {
  it('names export files after the profile', () => {
    expect(exportFileName('Sales EU (copy)')).toBe('sales-eu-copy.switchboard.json');
    expect(exportFileName('***')).toBe('profile.switchboard.json');
  });
});

describe('SbProfilesPageComponent: delete', () => {
  afterEach(() => sessionStorage.clear());

  it('disables Delete, saying why, for the default profile and for one live sessions use', async () => {
    TestBed.configureTestingModule({ imports: [SbProfilesPageComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SbProfilesPageComponent);
    await fixture.whenStable();
    flushLists(backend, [DEFAULT, IN_USE, FREE]);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const deleteOf = (name: string) =>
      [...root.querySelectorAll<HTMLButtonElement>(`[data-profile="${name}"] button`)].find((button) => button.textContent?.trim() === 'Delete')!;
    const reasonOf = (name: string) => root.querySelector(`[data-profile="${name}"] .sb-profiles__reason`)?.textContent?.trim();

    expect(deleteOf('default').disabled).toBe(true);
    expect(reasonOf('default')).toMatch(/default profile cannot be deleted/);
    expect(deleteOf('In use').disabled).toBe(true);
    expect(reasonOf('In use')).toBe('2 live agent sessions use this profile: load another profile in them first.');
    expect(deleteOf('Free').disabled).toBe(false);
    expect(reasonOf('Free')).toBeUndefined();
    backend.verify();
  });
});

describe('SbProfilesPageComponent: export and import', () => {
  let fixture: ComponentFixture<SbProfilesPageComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;
  let snackBar: { open: ReturnType<typeof vi.fn> };
  let dialog: { open: ReturnType<typeof vi.fn> };

  async function render(): Promise<void> {
    snackBar = { open: vi.fn() };
    dialog = { open: vi.fn(() => ({ afterClosed: () => of({ id: 3, name: 'default (imported)' }) })) };
    TestBed.configureTestingModule({
      imports: [SbProfilesPageComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: snackBar }, { provide: MatDialog, useValue: dialog }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbProfilesPageComponent);
    await fixture.whenStable();
    flushLists(backend, [DEFAULT]);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  /** A chosen file (jsdom's File has no text(): the browser's does). */
  async function choose(name: string, content: string): Promise<void> {
    const file = new File([content], name);
    Object.defineProperty(file, 'text', { value: () => Promise.resolve(content) });
    const input = root.querySelector<HTMLInputElement>('[data-testid="import-file"]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    // file.text() resolves on a later task: wait until the page has read it.
    await vi.waitFor(() => expect(input.value).toBe(''));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('exports a profile as a downloaded JSON file', async () => {
    await render();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    [...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'More ▾')!.click();
    await fixture.whenStable();
    // The menu opens in the overlay, outside the component.
    [...document.querySelectorAll<HTMLButtonElement>('.mat-mdc-menu-item')].find((item) => item.textContent?.trim() === 'Export')!.click();
    backend.expectOne('/api/config/profiles/1/export').flush(DOCUMENT);
    await fixture.whenStable();
    expect(click).toHaveBeenCalledTimes(1);
    expect((click.mock.instances[0] as unknown as HTMLAnchorElement).download).toBe('default.switchboard.json');
    expect(snackBar.open).toHaveBeenCalledWith('Exported “default”.', 'OK', expect.anything());
    click.mockRestore();
  });

  it('imports a file; a taken name (409) asks for another one instead of a snackbar', async () => {
    await render();
    await choose('default.switchboard.json', JSON.stringify(DOCUMENT));
    const first = backend.expectOne((request) => request.method === 'POST' && request.url === '/api/config/profiles/import');
    expect(first.request.body).toEqual(DOCUMENT);
    expect(first.request.params.has('name')).toBe(false);
    first.flush(
      { type: 'x', title: 'Conflict', status: 409, detail: 'A profile named "default" exists already.' },
      { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(dialog.open).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ data: { document: DOCUMENT, reason: 'A profile named “default” already exists (names are case-insensitive).' } }));
    expect(snackBar.open).toHaveBeenCalledWith('Profile “default (imported)” imported.', 'OK', expect.anything());
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    flushLists(backend, [DEFAULT, { ...DEFAULT, id: 3, is_default: false, name: 'default (imported)' }]);
  });

  it('refuses a file that is not JSON without asking the server', async () => {
    await render();
    await choose('notes.txt', 'not json');
    expect(snackBar.open).toHaveBeenCalledWith('“notes.txt” is not a JSON file: choose a file written by Export.', 'Close', expect.anything());
    backend.expectNone((request) => request.url === '/api/config/profiles/import');
  });
});

describe('SbProfilesPageComponent: set default and create', () => {
  let fixture: ComponentFixture<SbProfilesPageComponent>;
  let backend: HttpTestingController;
  let dialog: { open: ReturnType<typeof vi.fn> };
  let navigate: ReturnType<typeof vi.spyOn>;

  async function render(answer: unknown): Promise<HTMLElement> {
    dialog = { open: vi.fn(() => ({ afterClosed: () => of(answer) })) };
    TestBed.configureTestingModule({
      imports: [SbProfilesPageComponent],
      providers: [...provideConsoleTesting(), { provide: MatSnackBar, useValue: { open: vi.fn() } }, { provide: MatDialog, useValue: dialog }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    fixture = TestBed.createComponent(SbProfilesPageComponent);
    await fixture.whenStable();
    flushLists(backend, [DEFAULT, FREE]);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const button = (root: HTMLElement, profile: string, label: string) =>
    [...root.querySelectorAll<HTMLButtonElement>(`[data-profile="${profile}"] button`)].find((candidate) => candidate.textContent?.trim() === label)!;

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('asks before changing the default, naming the one it replaces; cancelled, sends nothing', async () => {
    const root = await render(false);
    button(root, 'Free', 'Set default').click();
    await fixture.whenStable();
    expect(dialog.open).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ data: expect.objectContaining({ title: 'Make “Free” the default?', message: expect.stringContaining('(now “default”)') }) }),
    );
    backend.expectNone('/api/config/profiles/3/set-default');
  });

  it('confirmed, sets the default', async () => {
    const root = await render(true);
    button(root, 'Free', 'Set default').click();
    await fixture.whenStable();
    backend.expectOne((request) => request.method === 'POST' && request.url === '/api/config/profiles/3/set-default').flush({ ...FREE, is_default: true });
    await fixture.whenStable();
    flushLists(backend, [{ ...DEFAULT, is_default: false }, { ...FREE, is_default: true }]);
  });

  it('opens a profile it has just created', async () => {
    const root = await render({ id: 7, name: 'Fresh' });
    root.querySelector<HTMLButtonElement>('[data-testid="new-profile"]')!.click();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/profiles', 7]);
    flushLists(backend, [DEFAULT, FREE, { ...FREE, id: 7, name: 'Fresh' }]);
  });
});

describe('finding profiles among many', () => {
  const many: ProfileListItemDto[] = [
    { ...DEFAULT, id: 1, name: 'zeta', is_default: true },
    { ...DEFAULT, id: 2, name: 'Alpha 10', is_default: false, description: 'Sales EU' },
    { ...DEFAULT, id: 3, name: 'alpha 9', is_default: false },
  ];

  it('filters the toolbar list by name or description, in any case', () => {
    const names = (profiles: ProfileListItemDto[]) => profiles.map((profile) => profile.name);
    expect(names(filterProfiles(many, 'ALPHA'))).toEqual(['Alpha 10', 'alpha 9']);
    expect(names(filterProfiles(many, ' sales '))).toEqual(['Alpha 10']);
    expect(names(filterProfiles(many, ''))).toEqual(['zeta', 'Alpha 10', 'alpha 9']);
  });

  it('asks the server for each search, order and page, and shows its total', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    TestBed.configureTestingModule({ imports: [SbProfilesPageComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'viewer');
    const backend = TestBed.inject(HttpTestingController);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(SbProfilesPageComponent);
    fixture.detectChanges();
    backend.expectOne((request) => isList(request) && !request.params.has('offset')).flush(many);
    const first = backend.expectOne(isPage);
    expect(first.request.params.toString()).toBe('sort=default&limit=25&offset=0');
    first.flush(many, { headers: { 'X-Total-Count': '60' } });
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid="profile-count"]')?.textContent?.trim()).toBe('60 profiles');
    expect([...root.querySelectorAll('[data-profile]')].map((row) => row.getAttribute('data-profile'))).toEqual(['zeta', 'Alpha 10', 'alpha 9']);

    const search = root.querySelector<HTMLInputElement>('[data-testid="profile-search"]')!;
    search.value = 'alpha ';
    search.dispatchEvent(new Event('input'));
    backend.expectNone(isPage); // typing is debounced
    vi.advanceTimersByTime(300);
    const searched = backend.expectOne(isPage);
    expect(searched.request.params.toString()).toBe('search=alpha&sort=default&limit=25&offset=0');
    expect(navigate).toHaveBeenLastCalledWith([], expect.objectContaining({ replaceUrl: true, queryParams: { search: 'alpha', sort: null, page: null, size: null } }));
    searched.flush(many.slice(1), { headers: { 'X-Total-Count': '2' } });
    fixture.detectChanges();
    expect(root.querySelector('[data-testid="profile-count"]')?.textContent?.trim()).toBe('2 profiles match “alpha”');

    root.querySelector<HTMLElement>('th.mat-column-last_changed_at .mat-sort-header-container')!.click();
    expect(backend.expectOne(isPage).request.params.get('sort')).toBe('-last_changed_at'); // newest first on the first click
    root.querySelector<HTMLElement>('th.mat-column-name .mat-sort-header-container')!.click();
    const byName = backend.expectOne(isPage);
    expect(byName.request.params.get('sort')).toBe('name');
    byName.flush(many.slice(1), { headers: { 'X-Total-Count': '40' } });
    fixture.detectChanges();

    root.querySelector<HTMLButtonElement>('.mat-mdc-paginator-navigation-next')!.click();
    expect(backend.expectOne(isPage).request.params.toString()).toBe('search=alpha&sort=name&limit=25&offset=25');
    expect(navigate).toHaveBeenLastCalledWith([], expect.objectContaining({ queryParams: { search: 'alpha', sort: 'name:asc', page: 2, size: null } }));

    search.value = 'nothing like it';
    search.dispatchEvent(new Event('input'));
    vi.advanceTimersByTime(300);
    backend.expectOne(isPage).flush([], { headers: { 'X-Total-Count': '0' } });
    fixture.detectChanges();
    expect(root.textContent).toContain('No profile matches “nothing like it”.');
    backend.verify();
    vi.useRealTimers();
    sessionStorage.clear();
  });
});

describe('SbProfilesPageComponent: inheritance tree', () => {
  const PARENT: ProfileListItemDto = { ...DEFAULT, id: 4, name: 'Base', is_default: false };
  const CHILD: ProfileListItemDto = { ...DEFAULT, id: 5, name: 'Aardvark', is_default: false, parent_profile_id: 4 };

  it('shows children under their parent, indented and naming it, the parent not deletable; sorted by a column, in the server order with the parent named', async () => {
    TestBed.configureTestingModule({ imports: [SbProfilesPageComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    const backend = TestBed.inject(HttpTestingController);
    vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(SbProfilesPageComponent);
    await fixture.whenStable();
    // The server's default order: the default first, then by name.
    flushLists(backend, [DEFAULT, CHILD, PARENT, FREE]);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const rows = () => [...root.querySelectorAll('tr[data-profile]')].map((row) => `${row.getAttribute('data-depth')} ${row.getAttribute('data-profile')}`);
    expect(rows()).toEqual(['0 default', '0 Base', '1 Aardvark', '0 Free']);
    // The server refuses to delete a parent (409): the page says so beforehand.
    expect(root.querySelector('[data-profile="Base"] .sb-profiles__reason')?.textContent?.trim()).toBe('“Aardvark” inherits from this profile: give it another parent or none first.');
    const hint = root.querySelector('[data-profile="Aardvark"] [data-testid="parent-of"]')!;
    expect(hint.textContent?.trim()).toBe('Inherits from Base');
    expect(hint.querySelector('a')?.getAttribute('href')).toBe('/profiles/4');
    expect(root.querySelector('[data-profile="Base"] [data-testid="parent-of"]')).toBeNull();

    root.querySelector<HTMLElement>('th.mat-column-name .mat-sort-header-container')!.click();
    backend.expectOne(isPage).flush([CHILD, PARENT, DEFAULT, FREE], { headers: { 'X-Total-Count': '4' } });
    await fixture.whenStable();
    expect(rows()).toEqual(['0 Aardvark', '0 Base', '0 default', '0 Free']);
    expect(root.querySelector('[data-profile="Aardvark"] [data-testid="parent-of"]')?.textContent?.trim()).toBe('Inherits from Base');
    backend.verify();
    sessionStorage.clear();
  });
});
