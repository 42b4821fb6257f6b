import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import { GenieSpaceDto, ResolvedConfigDto, ResolvedGenieSpaceDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { profileDetail, provideConsoleTesting, signInAs } from '../../../testing';
import { SbGenieTabComponent } from './genie-tab.component';

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
const HR: GenieSpaceDto = { ...SALES, id: 8, space_id: 'fedcba9876543210fedcba9876543210', space_name: 'HR', description: null, is_default: false, version: 1 };

/** GET /api/config/resolved for profile 1: the default space as stored, or with the environment's `env` fields. */
function resolved(env: Partial<ResolvedGenieSpaceDto> = {}): ResolvedConfigDto {
  const fields = ['space_id', 'space_name', 'description'] as const;
  const stored = { space_id: SALES.space_id, space_name: SALES.space_name, description: SALES.description };
  return {
    profile: { id: 1, name: 'default', is_default: true, version: 1 },
    pinned_version: null,
    ai_infra: {} as ResolvedConfigDto['ai_infra'],
    genie_space: { ...stored, ...env },
    genie_spaces: [{ ...stored, ...env }, { space_id: HR.space_id, space_name: HR.space_name, description: HR.description }],
    mlflow: { experiment_name: '/Shared/x' },
    prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
    sources: {
      ai_infra: {},
      genie_space: Object.fromEntries(fields.map((field) => [field, field in env ? 'env' : 'database'])),
      mlflow: { experiment_name: 'database' },
      prompts: {},
    },
    prompt_registry: {},
    stale: false,
  };
}

describe('SbGenieTabComponent', () => {
  let fixture: ComponentFixture<SbGenieTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(env: Partial<ResolvedGenieSpaceDto> = {}): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbGenieTabComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbGenieTabComponent);
    fixture.componentRef.setInput('profileId', 1);
    await fixture.whenStable();
    backend.expectOne('/api/config/genie/1').flush([SALES, HR]);
    backend.expectOne('/api/config/profiles/1').flush(profileDetail());
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved(env));
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function row(name: string): HTMLElement {
    return root.querySelector<HTMLElement>(`[data-space="${name}"]`)!;
  }

  async function openEdit(name: string): Promise<HTMLElement> {
    [...row(name).querySelectorAll<HTMLButtonElement>('button')].find((button) => button.textContent?.trim() === 'Edit')!.click();
    await fixture.whenStable();
    // The newest dialog: one closed just before may still be leaving the page.
    return [...document.querySelectorAll<HTMLElement>('mat-dialog-container')].at(-1)!;
  }

  function field(dialog: HTMLElement, selector: string): HTMLInputElement | HTMLTextAreaElement {
    return dialog.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)!;
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
    sessionStorage.clear();
  });

  it('says a change became a change request (202 from a profile that requires approval), and reads the spaces again', async () => {
    await render();
    const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
    [...row('HR').querySelectorAll<HTMLButtonElement>('button')].find((button) => button.textContent?.trim() === 'Set default')!.click();
    backend.expectOne({ method: 'POST', url: '/api/config/genie/8/set-default' }).flush({ change_request_id: 12, profile_id: 1, status: 'open' }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();
    expect(success).toHaveBeenCalledWith('Proposed as change request #12: another editor approves it in Requests.');
    backend.expectOne('/api/config/genie/1').flush([SALES, HR]);
    backend.expectOne('/api/config/profiles/1').flush(profileDetail());
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
  });

  it('without overrides: no lock on any row, and the edit dialog can change name and description', async () => {
    await render();
    expect(root.querySelector('[data-locked-field]')).toBeNull();
    expect(root.querySelector('[data-testid="locked-note"]')).toBeNull();
    const dialog = await openEdit('Sales');
    expect(field(dialog, '[data-testid="space-name"]').disabled).toBe(false);
    expect(field(dialog, 'textarea').disabled).toBe(false);
    expect(dialog.querySelector('[data-locked-field]')).toBeNull();
  });

  it('shows the effective values of overridden fields, locked with their variable, on the default space only', async () => {
    await render({ space_name: 'Sales (env)', description: 'Set by the environment' });
    const sales = row('Sales');
    expect(sales.querySelector('strong')!.textContent).toBe('Sales');
    const name = sales.querySelector('[data-locked-field="space_name"]')!;
    expect(name.textContent).toContain('SWITCHBOARD__GENIE__SPACE_NAME');
    expect(name.querySelector('[data-testid="effective-value"]')!.textContent).toBe('Sales (env)');
    expect(name.textContent).toContain('The stored name shown above is not used');
    const description = sales.querySelector('[data-locked-field="description"]')!;
    expect(description.textContent).toContain('SWITCHBOARD__GENIE__DESCRIPTION');
    expect(description.querySelector('[data-testid="effective-value"]')!.textContent).toBe('Set by the environment');
    expect(sales.querySelector('[data-locked-field="space_id"]')).toBeNull();
    expect(row('HR').querySelector('[data-locked-field]')).toBeNull();
  });

  it('disables the overridden fields in the default space’s edit dialog, with the same hint; other spaces stay editable', async () => {
    await render({ space_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', space_name: 'Sales (env)' });
    const dialog = await openEdit('Sales');
    expect(field(dialog, '[data-testid="space-name"]').disabled).toBe(true);
    expect(field(dialog, '[data-testid="space-name"]').value).toBe('Sales');
    expect(field(dialog, 'textarea').disabled).toBe(false);
    expect(dialog.querySelector('[data-locked-field="space_name"]')!.textContent).toContain('SWITCHBOARD__GENIE__SPACE_NAME');
    expect(dialog.querySelector('[data-locked-field="space_id"] [data-testid="effective-value"]')!.textContent).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(dialog.querySelector('[data-locked-field="description"]')).toBeNull();
    TestBed.inject(MatDialog).closeAll();
    await fixture.whenStable();

    const other = await openEdit('HR');
    expect(field(other, '[data-testid="space-name"]').disabled).toBe(false);
    expect(other.querySelector('[data-locked-field]')).toBeNull();
  });
});
