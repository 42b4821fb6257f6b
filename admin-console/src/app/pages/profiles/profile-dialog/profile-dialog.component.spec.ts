import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { PresetDto, ProfileListItemDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { SbProfileDialogComponent, SbProfileDialogData } from './profile-dialog.component';

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

const PRESET: PresetDto = {
  name: 'Low-temperature analysis',
  description: 'Predictable answers.',
  built_in: true,
  created_by: null,
  created_at: null,
  document: {} as PresetDto['document'],
};

describe('SbProfileDialogComponent', () => {
  let fixture: ComponentFixture<SbProfileDialogComponent>;
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;

  async function open(data: SbProfileDialogData): Promise<HTMLElement> {
    close = vi.fn();
    TestBed.configureTestingModule({
      imports: [SbProfileDialogComponent],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: data }, { provide: MatDialogRef, useValue: { close } }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbProfileDialogComponent);
    if (data.mode === 'create') backend.expectOne('/api/config/presets').flush([PRESET]);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function submit(root: HTMLElement): Promise<void> {
    root.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('requires a name of at most 100 characters before calling the server', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    await submit(root);
    expect(root.textContent).toContain('The name is required.');
    fixture.componentInstance.form.controls.name.setValue('x'.repeat(101));
    await fixture.whenStable();
    expect(root.textContent).toContain('The name must be at most 100 characters.');
    backend.expectNone('/api/config/profiles');
  });

  it('creates a copy of another profile', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT], copyFrom: 1 });
    fixture.componentInstance.form.patchValue({ name: '  High Creativity ', description: 'Brainstorming' });
    await submit(root);
    const post = backend.expectOne('/api/config/profiles');
    expect(post.request.body).toEqual({ name: 'High Creativity', description: 'Brainstorming', copy_from_profile_id: 1 });
    post.flush({ ...DEFAULT, id: 5, name: 'High Creativity', is_default: false });
    expect(close).toHaveBeenCalledWith({ id: 5, name: 'High Creativity' });
  });

  it("creates from a preset, keeping the preset's description when none is typed", async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    fixture.componentInstance.form.patchValue({ name: 'Careful analyst', start_from: 'Low-temperature analysis' });
    await submit(root);
    const post = backend.expectOne('/api/config/profiles');
    expect(post.request.body).toEqual({ name: 'Careful analyst', preset: 'Low-temperature analysis' });
    post.flush({ ...DEFAULT, id: 6, name: 'Careful analyst', is_default: false });
    expect(close).toHaveBeenCalledWith({ id: 6, name: 'Careful analyst' });
  });

  it('shows a taken name (409) on the name field and stays open', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    fixture.componentInstance.form.patchValue({ name: 'default' });
    await submit(root);
    backend
      .expectOne('/api/config/profiles')
      .flush(
        { type: 'x', title: 'Conflict', status: 409, detail: 'A profile named "default" exists already.' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS },
      );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent).toContain('A profile named "default" exists already.');
    expect(close).not.toHaveBeenCalled();
  });

  it('creates a child of another profile, sending parent_profile_id', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    fixture.componentInstance.form.patchValue({ name: 'EU', parent_profile_id: 1 });
    await submit(root);
    const post = backend.expectOne('/api/config/profiles');
    expect(post.request.body).toEqual({ name: 'EU', description: null, parent_profile_id: 1 });
    post.flush({ ...DEFAULT, id: 7, name: 'EU', is_default: false, parent_profile_id: 1 });
    expect(close).toHaveBeenCalledWith({ id: 7, name: 'EU' });
  });

  it('offers a parent or a preset, not both', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    const form = fixture.componentInstance.form;
    form.controls.start_from.setValue('Low-temperature analysis');
    await fixture.whenStable();
    expect(form.controls.parent_profile_id.disabled).toBe(true);
    expect(root.textContent).toContain('Not with a preset');
    form.controls.start_from.setValue(null);
    form.controls.parent_profile_id.setValue(1);
    await fixture.whenStable();
    expect(form.controls.parent_profile_id.enabled).toBe(true);
    root.querySelector<HTMLElement>('[data-testid="profile-copy-from"]')!.click();
    await fixture.whenStable();
    const preset = [...document.querySelectorAll('mat-option')].find((option) => option.textContent?.trim() === 'Low-temperature analysis')!;
    expect(preset.getAttribute('aria-disabled')).toBe('true');
    expect(document.querySelector('mat-optgroup')?.textContent).toContain('Presets (not with a parent)');
  });

  it('shows a chain too long (422) and an unknown parent (404) on the parent field, without a snackbar', async () => {
    const root = await open({ mode: 'create', profiles: [DEFAULT] });
    const snack = vi.spyOn(TestBed.inject(SbNotifier), 'error');
    fixture.componentInstance.form.patchValue({ name: 'Deep', parent_profile_id: 1 });
    await submit(root);
    backend.expectOne('/api/config/profiles').flush(
      {
        type: 'urn:switchboard:problem:validation-failed',
        title: 'Unprocessable Entity',
        status: 422,
        detail: 'Some values are not acceptable.',
        errors: [{ field: 'parent_profile_id', message: 'a chain of inheritance holds at most 5 profiles' }],
      },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent?.trim()).toBe('A chain of inheritance holds at most 5 profiles.');

    fixture.componentInstance.form.controls.parent_profile_id.setValue(1); // chosen again: the server's error goes
    await submit(root);
    backend
      .expectOne('/api/config/profiles')
      .flush({ type: 'urn:switchboard:problem:not-found', title: 'Not Found', status: 404, detail: 'Profile 1 does not exist.' }, { status: 404, statusText: 'Not Found', headers: PROBLEM_HEADERS });
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent?.trim()).toBe('Profile 1 does not exist.');
    expect(close).not.toHaveBeenCalled();
    expect(snack).not.toHaveBeenCalled();
  });

  it('edits with If-Match and proposes "<name> (copy)" when duplicating', async () => {
    const root = await open({ mode: 'edit', profile: DEFAULT });
    fixture.componentInstance.form.patchValue({ description: 'The seed' });
    await submit(root);
    const put = backend.expectOne('/api/config/profiles/1');
    expect(put.request.headers.get('If-Match')).toBe('"v2"');
    expect(put.request.body).toEqual({ name: 'default', description: 'The seed' });
    put.flush({ ...DEFAULT, description: 'The seed' });

    TestBed.resetTestingModule();
    await open({ mode: 'duplicate', profile: DEFAULT });
    expect(fixture.componentInstance.form.controls.name.value).toBe('default (copy)');
  });
});
