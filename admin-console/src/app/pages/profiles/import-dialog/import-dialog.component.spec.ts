import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { ProfileExportDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { SbImportDialogComponent } from './import-dialog.component';

const DOCUMENT = { format: 'switchboard.profile', format_version: 1, profile: { name: 'default' } } as unknown as ProfileExportDto;

describe('SbImportDialogComponent', () => {
  let fixture: ComponentFixture<SbImportDialogComponent>;
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  beforeEach(async () => {
    close = vi.fn();
    TestBed.configureTestingModule({
      imports: [SbImportDialogComponent],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: { document: DOCUMENT, reason: 'Taken.' } }, { provide: MatDialogRef, useValue: { close } }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbImportDialogComponent);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  async function submit(): Promise<void> {
    root.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  it('suggests a name, imports under it, and shows a second refusal beside the field', async () => {
    expect(root.querySelector<HTMLInputElement>('[data-testid="import-name"]')!.value).toBe('default (imported)');
    await submit();
    const taken = backend.expectOne((request) => request.url === '/api/config/profiles/import');
    expect(taken.request.params.get('name')).toBe('default (imported)');
    taken.flush({ type: 'x', title: 'Conflict', status: 409, detail: 'A profile named "default (imported)" exists already.' }, { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS });
    await fixture.whenStable();
    expect(root.querySelector('mat-error')!.textContent).toContain('exists already');
    expect(close).not.toHaveBeenCalled();

    fixture.componentInstance.name.setValue('  default 2 ');
    await submit();
    const created = backend.expectOne((request) => request.url === '/api/config/profiles/import');
    expect(created.request.params.get('name')).toBe('default 2');
    created.flush({ id: 4, name: 'default 2' });
    expect(close).toHaveBeenCalledWith({ id: 4, name: 'default 2' });
  });
});
