import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';

import { ProfileListItemDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbProfileStore } from '../../../core/profile.store';
import { listedProfile, provideConsoleTesting, signInAs } from '../../../testing';
import { SbParentLineComponent } from './parent-line.component';

const BASE = listedProfile();
const EU: ProfileListItemDto = { ...BASE, id: 2, name: 'EU', is_default: false, parent_profile_id: 1 };

describe('SbParentLineComponent', () => {
  async function render(role: 'viewer' | 'editor', profile: ProfileListItemDto, answer: unknown = undefined) {
    const dialog = { open: vi.fn(() => ({ afterClosed: () => of(answer) })) };
    const snackBar = { open: vi.fn() };
    TestBed.configureTestingModule({
      imports: [SbParentLineComponent],
      providers: [...provideConsoleTesting(), { provide: MatDialog, useValue: dialog }, { provide: MatSnackBar, useValue: snackBar }],
    });
    signInAs(TestBed.inject(SbAuthStore), role);
    const backend = TestBed.inject(HttpTestingController);
    TestBed.inject(SbProfileStore).refresh().subscribe();
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([BASE, EU]);
    const fixture = TestBed.createComponent(SbParentLineComponent);
    fixture.componentRef.setInput('profile', profile);
    await fixture.whenStable();
    return { root: fixture.nativeElement as HTMLElement, backend, dialog, snackBar, fixture };
  }

  afterEach(() => sessionStorage.clear());

  it('names the parent with a link; viewers get no way to change it', async () => {
    const { root, backend } = await render('viewer', EU);
    expect(root.textContent).toContain('Inherits from Base: values it does not override follow that profile.');
    expect(root.querySelector('a')?.getAttribute('href')).toBe('/profiles/1');
    expect(root.querySelector('[data-testid="change-parent"]')).toBeNull();
    backend.verify();
  });

  it('after a detach says so and reads the profile list again (the tabs follow it)', async () => {
    const { root, backend, dialog, snackBar, fixture } = await render('editor', EU, { id: 2, name: 'EU', parent_profile_id: null });
    root.querySelector<HTMLButtonElement>('[data-testid="change-parent"]')!.click();
    await fixture.whenStable();
    expect(dialog.open).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ data: { profile: EU, profiles: [BASE, EU] } }));
    expect(snackBar.open).toHaveBeenCalledWith('“EU” inherits from no profile now: it keeps its values as its own.', 'OK', expect.anything());
    backend.expectOne((request) => request.url === '/api/config/profiles').flush([BASE, { ...EU, parent_profile_id: null }]);
    backend.verify();
  });

  it('offers to set a parent on a profile without one', async () => {
    const { root, backend } = await render('editor', BASE);
    expect(root.textContent).toContain('Inherits from no profile.');
    expect(root.querySelector('[data-testid="change-parent"]')?.textContent?.trim()).toBe('Set parent…');
    backend.verify();
  });
});
