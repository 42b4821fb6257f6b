import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { ConfigHistoryEntryDto, ProfileComparisonDto } from '../../../../api/models';
import { SbAuthStore } from '../../../../core/auth.store';
import { provideConsoleTesting, signInAs } from '../../../../testing';
import { SbRestoreDialogComponent, SbRestoreDialogData } from './restore-dialog.component';

const ENTRY: ConfigHistoryEntryDto = {
  id: 7,
  profile_id: 1,
  profile_name: 'default',
  domain: 'ai_infra',
  action: 'update',
  subject: 'profile',
  item: null,
  changed_by: 'alice',
  changes: { llm_temperature: { old: 0.7, new: 0.3 } },
  timestamp: '2026-11-23T12:00:00.000Z',
  request_id: null,
};

function comparison(differences: Partial<ProfileComparisonDto['differences']>): ProfileComparisonDto {
  const all = { profile: {}, ai_infra: {}, genie: {}, mlflow: {}, prompts: {}, domains: {}, ...differences };
  return {
    left: { profile_id: 1, entry_id: null, profile_name: 'default' },
    right: { profile_id: 1, entry_id: 7, profile_name: 'default' },
    identical: Object.values(all).every((fields) => Object.keys(fields).length === 0),
    differences: all,
  };
}

describe('SbRestoreDialogComponent', () => {
  let fixture: ComponentFixture<SbRestoreDialogComponent>;
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  async function open(answer: ProfileComparisonDto): Promise<void> {
    close = vi.fn();
    const data: SbRestoreDialogData = { entry: ENTRY, profileId: 1, profileName: 'default' };
    TestBed.configureTestingModule({
      imports: [SbRestoreDialogComponent],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: data }, { provide: MatDialogRef, useValue: { close } }],
    });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbRestoreDialogComponent);
    await fixture.whenStable();
    const compare = backend.expectOne((request) => request.url === '/api/config/compare');
    expect(compare.request.params.get('left_profile_id')).toBe('1');
    expect(compare.request.params.get('right_entry_id')).toBe('7');
    compare.flush(answer);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function confirmButton(): HTMLButtonElement {
    return root.querySelector<HTMLButtonElement>('[data-testid="restore-confirm"]')!;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('says what would change, per domain, and restores only the entry’s domain when asked', async () => {
    await open(
      comparison({
        ai_infra: { llm_temperature: { left: 0.55, right: 0.3 } },
        mlflow: { experiment_name: { left: '/Shared/new', right: '/Shared/old' } },
      }),
    );
    expect(root.textContent).toContain('These values would change');
    expect(root.textContent).toContain('AI infrastructure');
    expect(root.textContent).toContain('MLflow');
    const row = root.querySelector('tr[data-field="llm_temperature"]')!;
    expect(row.querySelector('[data-testid="before"]')!.textContent).toBe('0.55');
    expect(row.querySelector('[data-testid="after"]')!.textContent).toBe('0.3');

    root.querySelector<HTMLInputElement>('[data-testid="restore-domain"] input')!.click();
    await fixture.whenStable();
    expect(root.querySelector('tr[data-field="experiment_name"]')).toBeNull();
    expect(root.querySelector('tr[data-field="llm_temperature"]')).not.toBeNull();

    confirmButton().click();
    await fixture.whenStable();
    const restore = backend.expectOne({ method: 'POST', url: '/api/config/history/entries/7/restore' });
    expect(restore.request.body).toEqual({ domain: 'ai_infra' });
    const profile = { id: 1, name: 'default' };
    restore.flush(profile);
    expect(close).toHaveBeenCalledWith({ profile, domain: 'ai_infra' });
  });

  it('restores the whole profile by default', async () => {
    await open(comparison({ ai_infra: { llm_temperature: { left: 0.55, right: 0.3 } } }));
    confirmButton().click();
    await fixture.whenStable();
    const restore = backend.expectOne({ method: 'POST', url: '/api/config/history/entries/7/restore' });
    expect(restore.request.body).toEqual({});
    restore.flush({ id: 1, name: 'default' });
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ domain: null }));
  });

  it('has nothing to restore when the profile already has these values', async () => {
    await open(comparison({}));
    expect(root.querySelector('[data-testid="restore-nothing"]')!.textContent).toContain('Nothing would change');
    expect(confirmButton().disabled).toBe(true);
  });
});
