import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { GenieSpaceDto } from '../../../../api/models';
import { SbAuthStore } from '../../../../core/auth.store';
import { envLocks } from '../../../../shared/env-source';
import { provideConsoleTesting, signInAs } from '../../../../testing';
import { SbGenieSpaceDialogComponent } from './genie-space-dialog.component';

const SALES: GenieSpaceDto = {
  id: 7,
  profile_id: 1,
  space_id: '0123456789abcdef0123456789abcdef',
  space_name: 'Sales',
  description: 'Stored description',
  is_default: true,
  inherited: false,
  default_inherited: false,
  version: 2,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
};

describe('SbGenieSpaceDialogComponent', () => {
  let fixture: ComponentFixture<SbGenieSpaceDialogComponent>;
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('saves the other fields of a space whose name the environment sets, sending the stored name back', async () => {
    close = vi.fn();
    const locks = envLocks(
      {
        genie_space: { space_id: SALES.space_id, space_name: 'Sales (env)', description: SALES.description },
        sources: { ai_infra: {}, genie_space: { space_id: 'database', space_name: 'env', description: 'database' }, mlflow: {}, prompts: {} },
      } as never,
      'genie',
    );
    TestBed.configureTestingModule({
      imports: [SbGenieSpaceDialogComponent],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: { mode: 'edit', space: SALES, locks } }, { provide: MatDialogRef, useValue: { close } }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbGenieSpaceDialogComponent);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;

    expect(root.querySelector<HTMLInputElement>('[data-testid="space-name"]')!.disabled).toBe(true);
    expect(root.querySelector('[data-locked-field="space_name"] [data-testid="effective-value"]')!.textContent).toBe('Sales (env)');
    const description = root.querySelector('textarea')!;
    description.value = 'New description';
    description.dispatchEvent(new Event('input'));
    root.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();

    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/genie/7');
    expect(put.request.headers.get('If-Match')).toBe('"v2"');
    expect(put.request.body).toEqual({ space_name: 'Sales', description: 'New description' });
    put.flush({ ...SALES, description: 'New description', version: 3 });
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ description: 'New description' }));
  });
});
