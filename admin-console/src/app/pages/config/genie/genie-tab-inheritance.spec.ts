import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltip } from '@angular/material/tooltip';
import { By } from '@angular/platform-browser';

import { GenieSpaceDto, ResolvedConfigDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { SbProfileStore } from '../../../core/profile.store';
import { listedProfile, profileDetail, provideConsoleTesting, signInAs } from '../../../testing';
import { SbGenieTabComponent } from './genie-tab.component';

const [A, B, C] = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
/** Profile 2, "Child", inherits from profile 1, "Base", which has Sales from "Root"; HR is the child's own over Base's, Ops only its own. */
const SALES: GenieSpaceDto = {
  id: 17,
  profile_id: 2,
  space_id: A,
  space_name: 'Sales',
  description: null,
  is_default: true,
  inherited: true,
  default_inherited: true,
  version: 1,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
};
const HR: GenieSpaceDto = { ...SALES, id: 18, space_id: B, space_name: 'HR', is_default: false, inherited: false, default_inherited: false };
const OPS: GenieSpaceDto = { ...HR, id: 19, space_id: C, space_name: 'Ops' };
const PARENT_SPACES: GenieSpaceDto[] = [
  { ...SALES, id: 7, profile_id: 1, default_inherited: false },
  { ...HR, id: 8, profile_id: 1, space_name: 'HR (Base)', inherited: false },
];
const DETAIL = profileDetail({ id: 2, name: 'Child', is_default: false, parent_profile_id: 1, parent_profile_name: 'Base', inherited_from: { genie: { [A]: 'Root' } } });
const RESOLVED = { genie_spaces: [], sources: { ai_infra: {}, genie_space: {}, mlflow: {}, prompts: {} } } as unknown as ResolvedConfigDto;

describe('SbGenieTabComponent: inherited spaces', () => {
  let fixture: ComponentFixture<SbGenieTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  /** The reads of the tab: the child's spaces, its detail, then its parent's spaces, and the resolved values. */
  async function flushReads(spaces: GenieSpaceDto[], detail = DETAIL): Promise<void> {
    backend.expectOne('/api/config/genie/2').flush(spaces);
    backend.expectOne('/api/config/profiles/2').flush(detail);
    backend.expectOne('/api/config/resolved?profile_id=2').flush(RESOLVED);
    await fixture.whenStable();
    backend.expectOne('/api/config/genie/1').flush(PARENT_SPACES);
    await fixture.whenStable();
  }

  async function render(spaces = [SALES, HR, OPS]): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbGenieTabComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbGenieTabComponent);
    fixture.componentRef.setInput('profileId', 2);
    await fixture.whenStable();
    await flushReads(spaces);
    root = fixture.nativeElement as HTMLElement;
  }

  const row = (name: string) => root.querySelector<HTMLElement>(`[data-space="${name}"]`)!;
  const badges = (name: string) => [...row(name).querySelectorAll('.sb-badge')].map((badge) => badge.textContent?.trim());
  const button = (name: string, label: string) => [...row(name).querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === label);
  const tooltip = (name: string) =>
    fixture.debugElement
      .queryAll(By.directive(MatTooltip))
      .find((element) => row(name).contains(element.nativeElement as Node))!
      .injector.get(MatTooltip).message;
  const newestDialog = () => [...document.querySelectorAll<HTMLElement>('mat-dialog-container')].at(-1)!;
  /** A dialog reports its answer once it has closed (after its exit animation). */
  async function closed(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fixture.whenStable();
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
    sessionStorage.clear();
  });

  it('names where each space comes from: the ancestor of an inherited one, the parent an own one overrides, and the default that follows the parent', async () => {
    await render();
    expect(badges('Sales')).toEqual(['Default · follows Base', 'Inherited from Root']);
    expect(row('Sales').getAttribute('data-origin')).toBe('inherited');
    expect(badges('HR')).toEqual(['Overrides Base']);
    expect(row('HR').getAttribute('data-origin')).toBe('overrides');
    expect(badges('Ops')).toEqual([]);
    expect(row('Ops').getAttribute('data-origin')).toBe('own');
  });

  it('keeps Remove of an inherited space disabled, saying why, and its Edit open, saying what saving does', async () => {
    await render();
    expect(button('Sales', 'Remove')!.disabled).toBe(true);
    expect(tooltip('Sales')).toBe('Inherited from “Root”: remove it there, or edit it here to make it this profile’s own.');
    expect(button('Ops', 'Remove')!.disabled).toBe(false);
    expect(button('Sales', 'Edit')!.disabled).toBe(false);

    button('Sales', 'Edit')!.click();
    await fixture.whenStable();
    expect(newestDialog().querySelector('[data-testid="inherited-space-note"]')!.textContent).toContain('Saving different values makes it this profile’s own');
    const name = newestDialog().querySelector<HTMLInputElement>('[data-testid="space-name"]')!;
    name.value = 'Sales EU';
    name.dispatchEvent(new Event('input'));
    newestDialog().querySelector('form')!.dispatchEvent(new Event('submit'));
    const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/genie/17');
    expect(put.request.body).toEqual({ space_name: 'Sales EU', description: null });
    const own = { ...SALES, space_name: 'Sales EU', inherited: false, version: 2 };
    put.flush(own);
    await closed();
    expect(success).toHaveBeenCalledWith('Genie space “Sales EU” saved: it is this profile’s own now.');
    await flushReads([own, HR, OPS], profileDetail({ ...DETAIL, inherited_from: {} }));
    expect(badges('Sales EU')).toEqual(['Default · follows Base', 'Overrides Base']);
  });

  it('offers Reset to inherited in place of Remove on an own space over the parent’s: confirmed, deletes it and shows the parent’s back', async () => {
    await render();
    expect(button('HR', 'Remove')).toBeUndefined();
    button('HR', 'Reset to inherited')!.click();
    await fixture.whenStable();
    const confirm = newestDialog();
    expect(confirm.textContent).toContain('Reset “HR” to inherited?');
    expect(confirm.textContent).toContain('the space of “Base” with the same id takes its place');
    const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
    [...confirm.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === 'Reset to inherited')!.click();
    await closed();
    backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/config/genie/18').flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(success).toHaveBeenCalledWith('Genie space “HR” inherits from “Base” again.');
    const back = { ...HR, id: 20, space_name: 'HR (Base)', inherited: true };
    await flushReads([SALES, back, OPS], profileDetail({ ...DETAIL, inherited_from: { genie: { [A]: 'Root', [B]: 'Base' } } }));
    expect(badges('HR (Base)')).toEqual(['Inherited from Base']);
    expect(button('HR (Base)', 'Remove')!.disabled).toBe(true);
  });

  it('resets the default too, where Remove would wait for another default: the parent’s space becomes the default', async () => {
    await render([{ ...HR, is_default: true }, OPS]);
    expect(button('HR', 'Reset to inherited')!.disabled).toBe(false);
    expect(tooltip('HR')).toBe('');
  });

  it('reads the spaces and where they come from again when the profile list shows it detached from its parent', async () => {
    await render();
    const store = TestBed.inject(SbProfileStore);
    const listed = (parent: number | null) => [listedProfile(), listedProfile({ id: 2, name: 'Child', is_default: false, parent_profile_id: parent })];
    store.refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush(listed(1));
    await fixture.whenStable();
    store.refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush(listed(null));
    await fixture.whenStable();
    backend.expectOne('/api/config/genie/2').flush([{ ...SALES, inherited: false, default_inherited: false }, HR, OPS]);
    backend.expectOne('/api/config/profiles/2').flush(profileDetail({ id: 2, name: 'Child', is_default: false }));
    await fixture.whenStable();
    expect(badges('Sales')).toEqual(['Default']);
    expect(badges('HR')).toEqual([]);
    expect(button('HR', 'Remove')!.disabled).toBe(false);
  });
});
