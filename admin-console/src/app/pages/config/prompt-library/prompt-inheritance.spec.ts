import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltip } from '@angular/material/tooltip';
import { By } from '@angular/platform-browser';
import { provideMonacoEditor } from 'ngx-monaco-editor-v2';

import { PromptVersionDto, RegistryPromptDetailDto, RegistryPromptDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { profileDetail, provideConsoleTesting, signInAs } from '../../../testing';
import { MONACO_BASE_URL } from '../config-page.routes';
import { SbPromptLibraryComponent } from './prompt-library.component';
import { SbPromptPageComponent } from './prompt-page.component';

/** Profile 2, "Child", inherits from profile 1, "Base": verify.answer comes from "Root" (through Base), analyze.summary is the child's own over Base's. */
const PROMPT: RegistryPromptDto = {
  name: 'verify.answer',
  description: 'Checks an answer',
  variables: [],
  inherited: true,
  latest_version: 1,
  labels: { production: 1 },
  created_by: 'alice',
  created_at: '2026-11-25T12:00:00.000Z',
  updated_at: '2026-11-25T12:00:00.000Z',
};
const OVERRIDE: RegistryPromptDto = { ...PROMPT, name: 'analyze.summary', inherited: false };
const OWN: RegistryPromptDto = { ...PROMPT, name: 'own.only', inherited: false };
const PARENT_PROMPTS: RegistryPromptDto[] = [PROMPT, { ...OVERRIDE, description: 'Base’s' }];
const DETAIL = profileDetail({ id: 2, name: 'Child', is_default: false, parent_profile_id: 1, parent_profile_name: 'Base', inherited_from: { prompt_registry: { 'verify.answer': 'Root' } } });
const VERSION: PromptVersionDto = { version: 1, prompt: 'x', template: 'Check this.', message: 'First', created_by: 'alice', created_at: '2026-11-25T12:00:00.000Z', model_parameters: null };

function detailOf(prompt: RegistryPromptDto): RegistryPromptDetailDto {
  return { ...prompt, latest: { ...VERSION, prompt: prompt.name }, warnings: [] };
}

describe('prompt library: inherited prompts', () => {
  let backend: HttpTestingController;

  /** Monaco's editors are not shown (their tabs stay closed), but the page's imports ask for their configuration. */
  function configure(): void {
    TestBed.configureTestingModule({ providers: [...provideConsoleTesting(), provideMonacoEditor({ baseUrl: MONACO_BASE_URL })] });
    signInAs(TestBed.inject(SbAuthStore), 'editor');
    backend = TestBed.inject(HttpTestingController);
  }

  /** The profile's detail, then its parent's prompts. */
  async function flushOrigins(fixture: ComponentFixture<unknown>, detail = DETAIL): Promise<void> {
    backend.expectOne('/api/config/profiles/2').flush(detail);
    await fixture.whenStable();
    backend.expectOne('/api/config/profiles/1/prompts').flush(PARENT_PROMPTS);
    await fixture.whenStable();
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
    sessionStorage.clear();
  });

  it('the list badges an inherited prompt with its ancestor and an own one over the parent’s with the parent', async () => {
    configure();
    const fixture = TestBed.createComponent(SbPromptLibraryComponent);
    fixture.componentRef.setInput('profileId', 2);
    await fixture.whenStable();
    backend.expectOne('/api/config/profiles/2/prompts').flush([PROMPT, OVERRIDE, OWN]);
    await flushOrigins(fixture);
    const root = fixture.nativeElement as HTMLElement;
    const item = (name: string) => root.querySelector<HTMLElement>(`[data-prompt="${name}"]`)!;
    expect(item('verify.answer').querySelector('.sb-badge--origin')!.textContent!.trim()).toBe('Inherited from Root');
    expect(item('analyze.summary').querySelector('.sb-badge--origin')!.textContent!.trim()).toBe('Overrides Base');
    expect(item('own.only').querySelector('.sb-badge--origin')).toBeNull();
    expect(item('own.only').getAttribute('data-origin')).toBe('own');
  });

  describe('a prompt’s page', () => {
    let fixture: ComponentFixture<SbPromptPageComponent>;
    let root: HTMLElement;

    /** The reads a page makes besides the prompt (the diff of its newest version, the preview, the draft's check), answered once asked. */
    async function settle(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 450));
      for (const request of backend.match((candidate) => candidate.url.endsWith('/validate'))) request.flush({ valid: true, errors: [], warnings: [] });
      for (const request of backend.match((candidate) => /\/versions\/\d+$/.test(candidate.url))) request.flush(VERSION);
      for (const request of backend.match((candidate) => candidate.url.endsWith('/diff'))) request.flush({ from: 1, to: 1, added: 0, removed: 0, lines: [] });
      for (const request of backend.match((candidate) => candidate.url.endsWith('/render'))) request.flush({ prompt: 'x', version: 1, text: 'Check this.', length: 11 });
      await fixture.whenStable();
    }

    async function flushPrompt(prompt: RegistryPromptDto): Promise<void> {
      backend.expectOne(`/api/config/profiles/2/prompts/${prompt.name}`).flush(detailOf(prompt));
      backend.expectOne((request) => request.url === `/api/config/profiles/2/prompts/${prompt.name}/versions`).flush([VERSION]);
      await flushOrigins(fixture);
      await settle();
    }

    async function render(prompt: RegistryPromptDto): Promise<void> {
      configure();
      fixture = TestBed.createComponent(SbPromptPageComponent);
      fixture.componentRef.setInput('profileId', 2);
      fixture.componentRef.setInput('name', prompt.name);
      await fixture.whenStable();
      await flushPrompt(prompt);
      root = fixture.nativeElement as HTMLElement;
    }

    const button = (label: string) => [...root.querySelectorAll<HTMLButtonElement>('[aria-label="Prompt actions"] button')].find((candidate) => candidate.textContent?.trim() === label);
    const note = () => root.querySelector<HTMLElement>('.sb-prompt-origin');
    const tooltip = () => fixture.debugElement.query(By.directive(MatTooltip)).injector.get(MatTooltip).message;

    it('of an inherited prompt: says where it comes from and what makes it the profile’s own, and keeps Delete disabled, saying why', async () => {
      await render(PROMPT);
      expect(note()!.getAttribute('data-origin')).toBe('inherited');
      expect(note()!.textContent).toContain('Inherited from Root');
      expect(note()!.textContent).toContain('Adding a version or moving a label makes it this profile’s own, after which changes made on Root no longer reach it.');
      expect(button('Delete prompt…')!.disabled).toBe(true);
      expect(tooltip()).toBe('Inherited from “Root”: delete it there.');
      expect(button('Reset to inherited…')).toBeUndefined();
    });

    it('of the profile’s own prompt over nothing of the parent’s: no note, and Delete', async () => {
      await render(OWN);
      expect(note()).toBeNull();
      expect(button('Delete prompt…')!.disabled).toBe(false);
    });

    it('of an own prompt over the parent’s: Reset to inherited, confirmed, deletes it and shows the parent’s in its place', async () => {
      await render(OVERRIDE);
      expect(note()!.getAttribute('data-origin')).toBe('overrides');
      expect(note()!.textContent).toContain('in place of the one of Base with the same name');
      expect(button('Delete prompt…')).toBeUndefined();
      button('Reset to inherited…')!.click();
      await fixture.whenStable();
      const confirm = [...document.querySelectorAll<HTMLElement>('mat-dialog-container')].at(-1)!;
      expect(confirm.textContent).toContain('Reset “analyze.summary” to inherited?');
      expect(confirm.textContent).toContain('the prompt of “Base” takes its place');
      const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
      [...confirm.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === 'Reset to inherited')!.click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await fixture.whenStable();
      backend.expectOne((request) => request.method === 'DELETE' && request.url === '/api/config/profiles/2/prompts/analyze.summary').flush(null, { status: 204, statusText: 'No Content' });
      await fixture.whenStable();
      expect(success).toHaveBeenCalledWith('Prompt “analyze.summary” inherits from “Base” again.');
      await flushPrompt({ ...OVERRIDE, inherited: true, description: 'Base’s' });
      expect(note()!.getAttribute('data-origin')).toBe('inherited');
      expect(note()!.textContent).toContain('Inherited from Base');
      expect(button('Delete prompt…')!.disabled).toBe(true);
    });
  });
});
