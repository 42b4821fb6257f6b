import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { ProfileListItemDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { listedProfile, PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { descendantsOf, SbParentDialogComponent, SbParentDialogData } from './parent-dialog.component';

const BASE = listedProfile();
const profile = (id: number, name: string, parent: number | null): ProfileListItemDto => ({ ...BASE, id, name, is_default: false, parent_profile_id: parent });
/** EU inherits from Base; France from EU; Germany from France. */
const EU = profile(2, 'EU', 1);
const PROFILES = [BASE, EU, profile(3, 'France', 2), profile(4, 'Germany', 3), profile(5, 'Other', null)];

describe('descendantsOf', () => {
  it('knows a profile and those inheriting from it, through any number of levels', () => {
    expect([...descendantsOf(2, PROFILES)].sort()).toEqual([2, 3, 4]);
    expect([...descendantsOf(5, PROFILES)]).toEqual([5]);
  });
});

describe('SbParentDialogComponent', () => {
  let fixture: ComponentFixture<SbParentDialogComponent>;
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  async function open(data: SbParentDialogData): Promise<void> {
    close = vi.fn();
    TestBed.configureTestingModule({
      imports: [SbParentDialogComponent],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: data }, { provide: MatDialogRef, useValue: { close } }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbParentDialogComponent);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  async function choose(parent: number | null): Promise<void> {
    fixture.componentInstance.form.controls.parent_profile_id.setValue(parent);
    await fixture.whenStable();
    root.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('offers every profile but itself and those inheriting from it, and moves the profile under the one chosen', async () => {
    await open({ profile: EU, profiles: PROFILES });
    root.querySelector<HTMLElement>('[data-testid="parent-select"]')!.click();
    await fixture.whenStable();
    expect([...document.querySelectorAll('mat-option')].map((option) => option.textContent?.trim())).toEqual(['No parent (detach)', 'Base', 'Other']);
    expect(root.textContent).toContain('Inherits from “Base” now.');
    (document.querySelectorAll<HTMLElement>('mat-option')[2]!).click();
    await fixture.whenStable();
    expect(root.textContent).toContain('Inherited values take “Other”’s; its own values stay.');
    root.querySelector('form')!.dispatchEvent(new Event('submit'));
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/profiles/2');
    expect(put.request.body).toEqual({ parent_profile_id: 5 });
    put.flush({ id: 2, name: 'EU', parent_profile_id: 5 });
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ id: 2, parent_profile_id: 5 }));
  });

  it('detaches with null, saying the profile keeps its values', async () => {
    await open({ profile: EU, profiles: PROFILES });
    fixture.componentInstance.form.controls.parent_profile_id.setValue(null);
    await fixture.whenStable();
    expect(root.textContent).toContain('It keeps every value as its own and no longer follows “Base”.');
    await choose(null);
    const put = backend.expectOne('/api/config/profiles/2');
    expect(put.request.body).toEqual({ parent_profile_id: null });
    put.flush({ id: 2, name: 'EU', parent_profile_id: null });
    expect(close).toHaveBeenCalled();
  });

  it('shows a cycle (422) and a parent deleted meanwhile (404) on the field, without a snackbar, and stays open', async () => {
    await open({ profile: BASE, profiles: PROFILES });
    const snack = vi.spyOn(TestBed.inject(SbNotifier), 'error');
    await choose(5);
    backend.expectOne('/api/config/profiles/1').flush(
      { type: 'urn:switchboard:problem:validation-failed', title: 'Unprocessable Entity', status: 422, detail: 'Some values are not acceptable.', errors: [{ field: 'parent_profile_id', message: 'that profile inherits from this one' }] },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="parent-error"]')?.textContent?.trim()).toBe('That profile inherits from this one.');

    await choose(3);
    backend
      .expectOne('/api/config/profiles/1')
      .flush({ type: 'urn:switchboard:problem:not-found', title: 'Not Found', status: 404, detail: 'Profile 3 does not exist.' }, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="parent-error"]')?.textContent?.trim()).toBe('Profile 3 does not exist.');
    expect(close).not.toHaveBeenCalled();
    expect(snack).not.toHaveBeenCalled();
  });

  it('sends nothing while the choice is the current parent', async () => {
    await open({ profile: EU, profiles: PROFILES });
    await choose(1);
    backend.expectNone('/api/config/profiles/2');
    expect([...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Save')?.disabled).toBe(true);
  });
});
