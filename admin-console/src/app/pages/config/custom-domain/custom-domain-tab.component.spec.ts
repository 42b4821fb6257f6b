import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { DomainDto, DomainValuesDto, ResolvedConfigDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { provideSchemaForms } from '../../../shared/schema-form/schema-form';
import { PROBLEM_HEADERS, provideConsoleTesting, signInAs } from '../../../testing';
import { SbDirtyTabs } from '../dirty-tabs';
import { SbCustomDomainTabComponent } from './custom-domain-tab.component';

const DOMAIN: DomainDto = {
  name: 'gateway',
  title: 'Gateway',
  description: 'The LLM gateway',
  kind: 'object',
  built_in: false,
  version: 2,
  profiles_with_values: 1,
  updated_at: '2026-11-25T10:00:00.000Z',
  updated_by: 'admin',
  schema: {
    type: 'object',
    properties: {
      base_url: { title: 'Base URL', type: 'string', format: 'uri' },
      retries: { title: 'Retries', type: 'integer', minimum: 0, maximum: 10, default: 2 },
      mode: { title: 'Mode', type: 'string', enum: ['fast', 'safe'] },
      api_key: { title: 'API key', type: 'string', writeOnly: true },
    },
  },
};

const STORED: DomainValuesDto = {
  domain: 'gateway',
  profile_id: 1,
  values: { base_url: 'https://llm.internal', api_key: { set: true } },
  inherited: [],
  effective: { base_url: 'https://llm.internal', retries: 2, api_key: { set: true } },
  version: 3,
  updated_at: '2026-11-25T11:00:00.000Z',
};

function resolved(envRetries?: number): ResolvedConfigDto {
  return {
    profile: { id: 1, name: 'default', is_default: true, version: 1 },
    pinned_version: null,
    ai_infra: {} as ResolvedConfigDto['ai_infra'],
    genie_space: null,
    genie_spaces: [],
    mlflow: { experiment_name: '/Shared/x' },
    prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
    sources: { ai_infra: {}, genie_space: {}, mlflow: {}, prompts: {}, gateway: { base_url: 'database', retries: envRetries === undefined ? 'default' : 'env' } } as ResolvedConfigDto['sources'],
    prompt_registry: {},
    stale: false,
    gateway: { base_url: 'https://llm.internal', retries: envRetries ?? 2 },
  } as ResolvedConfigDto;
}

describe('SbCustomDomainTabComponent', () => {
  let fixture: ComponentFixture<SbCustomDomainTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(role: 'viewer' | 'editor', envRetries?: number): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbCustomDomainTabComponent], providers: [...provideConsoleTesting(), provideSchemaForms(), SbDirtyTabs] });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbCustomDomainTabComponent);
    fixture.componentRef.setInput('profileId', 1);
    fixture.componentRef.setInput('name', 'gateway');
    await fixture.whenStable();
    backend.expectOne('/api/config/domains/gateway').flush(DOMAIN);
    backend.expectOne('/api/config/domains/gateway/profiles/1').flush(STORED, { headers: { ETag: '"v3"' } });
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved(envRetries));
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function field(label: string): HTMLInputElement {
    const labels = [...root.querySelectorAll('mat-form-field')].filter((candidate) => candidate.querySelector('mat-label')?.textContent?.trim() === label);
    return labels[0]?.querySelector('input') as HTMLInputElement;
  }

  async function type(label: string, value: string): Promise<void> {
    const element = field(label);
    element.value = value;
    element.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  function button(name: string): HTMLButtonElement {
    return [...root.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name)!;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('makes the form from the schema: stored values shown, defaults as placeholders, a stored secret hidden, nothing to save', async () => {
    await render('editor');
    expect(field('Base URL').value).toBe('https://llm.internal');
    expect(field('Retries').value).toBe('');
    expect(field('Retries').placeholder).toBe('Default: 2');
    expect(root.querySelector('mat-slider')).not.toBeNull();
    expect(root.querySelector('mat-select')).not.toBeNull();
    expect(root.querySelector('[data-testid="secret-stored"]')?.textContent).toContain('Stored, hidden');
    expect(root.textContent).toContain('All changes saved');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('saves the values with If-Match, keeping the stored secret, and puts a 422 on its field by JSON Pointer', async () => {
    await render('editor');
    await type('Base URL', 'not a url');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(true);
    button('Save').click();
    const put = backend.expectOne((request) => request.method === 'PUT' && request.url === '/api/config/domains/gateway/profiles/1');
    expect(put.request.headers.get('If-Match')).toBe('"v3"');
    expect(put.request.body).toEqual({ values: { base_url: 'not a url', api_key: { set: true } } });
    put.flush(
      { type: 'x', title: 'Unprocessable Entity', status: 422, detail: 'The values break the schema.', errors: [{ field: '/base_url', message: 'must match format "uri"' }] },
      { status: 422, statusText: 'Unprocessable Entity', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent).toContain('must match format "uri"');
  });

  it('clears a secret with Clear, and Cancel brings the stored values back', async () => {
    await render('editor');
    button('Clear').click();
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="secret-stored"]')).toBeNull();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(true);
    button('Cancel').click();
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="secret-stored"]')).not.toBeNull();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('locks a field the environment sets, naming its variable', async () => {
    await render('editor', 7);
    expect(field('Retries').disabled).toBe(true);
    expect(field('Base URL').disabled).toBe(false);
    expect(root.querySelector('[data-testid="locked-note"]')?.textContent).toContain('SWITCHBOARD__GATEWAY__RETRIES');
  });

  it('is read-only for viewers: every field disabled, no Save', async () => {
    await render('viewer');
    expect(field('Base URL').disabled).toBe(true);
    expect(button('Save')).toBeUndefined();
  });

  /** Base URL changed here, and (the 412 says) by bob meanwhile: the conflict screen, open. */
  const theirs = { ...STORED, values: { ...STORED.values, base_url: 'https://theirs.internal' }, version: 4 };
  async function saveMeetingTheirs(): Promise<Element> {
    await render('editor');
    await type('Base URL', 'https://mine.internal');
    button('Save').click();
    backend
      .expectOne((request) => request.method === 'PUT')
      .flush({ type: 'x', title: 'Precondition Failed', status: 412, detail: 'changed meanwhile' }, { status: 412, statusText: 'Precondition Failed', headers: PROBLEM_HEADERS });
    backend.expectOne('/api/config/domains/gateway/profiles/1').flush(theirs);
    backend.expectOne((request) => request.url === '/api/config/history/1' && request.params.get('domain') === 'gateway').flush([{ id: 9, changed_by: 'bob' }]);
    await fixture.whenStable();
    return document.querySelector('sb-conflict-dialog')!;
  }

  it('answers a 412 with the conflict screen: who saved theirs, both changes, and "Save my changes on theirs"', async () => {
    const dialog = await saveMeetingTheirs();
    expect(dialog.textContent).toContain('bob saved it');
    expect(dialog.textContent).toContain('You both changed 1 field: choose on each row which to keep.');
    expect(dialog.querySelector('[data-field="base_url"]')?.textContent).toContain('https://theirs.internal');
    expect(dialog.querySelector('[data-field="base_url"]')?.textContent).toContain('https://mine.internal');
    expect(dialog.querySelector('[data-field="base_url"] mat-radio-group')?.textContent).toContain('Keep yours');
    [...dialog.querySelectorAll('button')].find((candidate) => candidate.textContent?.includes('Save my changes on theirs'))!.click();
    // The dialog reports the choice once it has closed (after its exit animation).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fixture.whenStable();
    const put = backend.expectOne((request) => request.method === 'PUT');
    expect(put.request.headers.get('If-Match')).toBe('"v4"');
    expect(put.request.body).toEqual({ values: { base_url: 'https://mine.internal', api_key: { set: true } } });
    put.flush({ ...theirs, values: put.request.body.values, version: 5 });
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
    await fixture.whenStable();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
  });

  it('on a 412, keeps theirs for a field both changed when the user picks theirs', async () => {
    const dialog = await saveMeetingTheirs();
    dialog.querySelector<HTMLInputElement>('[data-field="base_url"] mat-radio-button[value="theirs"] input')!.click();
    await fixture.whenStable();
    expect(dialog.querySelector('[data-field="base_url"]')?.textContent?.match(/https:\/\/theirs\.internal/g)?.length).toBe(2); // theirs, and after merging
    [...dialog.querySelectorAll('button')].find((candidate) => candidate.textContent?.includes('Save my changes on theirs'))!.click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fixture.whenStable();
    const put = backend.expectOne((request) => request.method === 'PUT');
    expect(put.request.body.values.base_url).toBe('https://theirs.internal');
    put.flush({ ...theirs, version: 5 });
    backend.expectOne('/api/config/resolved?profile_id=1').flush(resolved());
    await fixture.whenStable();
  });
});
