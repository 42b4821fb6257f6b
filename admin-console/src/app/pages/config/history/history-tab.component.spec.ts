import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';

import { ConfigHistoryEntryDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { provideConsoleTesting, signInAs } from '../../../testing';
import { SbHistoryTabComponent } from './history-tab.component';

function entry(id: number, domain: ConfigHistoryEntryDto['domain'], changes: Record<string, { old: unknown; new: unknown }>): ConfigHistoryEntryDto {
  return { id, profile_id: 1, profile_name: 'default', domain, action: 'update', subject: 'profile', item: null, changed_by: 'alice', changes, timestamp: '2026-11-23T12:00:00.000Z', request_id: null };
}

const TEMPERATURE = entry(7, 'ai_infra', { llm_temperature: { old: 0.7, new: 0.3 } });
const PROMPT = entry(6, 'prompts', {
  system_prompt: { old: 'You build slides.\nBe brief.\nCite sources.', new: 'You build slides.\nBe thorough.\nCite sources.' },
});

describe('SbHistoryTabComponent', () => {
  let fixture: ComponentFixture<SbHistoryTabComponent>;
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function render(role: 'viewer' | 'editor' = 'editor'): Promise<void> {
    TestBed.configureTestingModule({ imports: [SbHistoryTabComponent], providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), role);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SbHistoryTabComponent);
    fixture.componentRef.setInput('profileId', 1);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function expectList(): TestRequest {
    return backend.expectOne((request) => request.url === '/api/config/history/1');
  }

  async function flush(request: TestRequest, body: ConfigHistoryEntryDto[], link?: string): Promise<void> {
    request.flush(body, { headers: link ? { Link: link } : {} });
    await fixture.whenStable();
  }

  function button(name: string, scope: ParentNode = root): HTMLButtonElement | undefined {
    return [...scope.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent?.trim() === name);
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('pages with the Link header’s cursor: "Load more" asks for the next page and appends it', async () => {
    await render();
    const first = expectList();
    expect(first.request.params.get('limit')).toBe('50');
    expect(first.request.params.has('cursor')).toBe(false);
    await flush(first, [TEMPERATURE], '</api/config/history/1?limit=50&cursor=Y3Vyc29y>; rel="next"');
    expect(root.querySelectorAll('tr[data-entry]').length).toBe(1);

    button('Load more')!.click();
    await fixture.whenStable();
    const second = expectList();
    expect(second.request.params.get('cursor')).toBe('Y3Vyc29y');
    await flush(second, [PROMPT]);
    expect([...root.querySelectorAll('tr[data-entry]')].map((row) => row.getAttribute('data-entry'))).toEqual(['7', '6']);
    expect(button('Load more')).toBeUndefined();
    expect(root.textContent).toContain('2 entries, the oldest last.');
  });

  it('filters by a prompt of the library, named in the address, and labels its entries with the prompt', async () => {
    await render();
    await flush(expectList(), [TEMPERATURE]);
    fixture.componentRef.setInput('prompt', 'verify.answer');
    fixture.componentInstance.filters.patchValue({ domain: 'prompts' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await fixture.whenStable();
    const filtered = expectList();
    expect(filtered.request.params.get('prompt')).toBe('verify.answer');
    // The prompt names the library's domain: the domain filter is not sent with it.
    expect(filtered.request.params.has('domain')).toBe(false);
    await flush(filtered, [{ ...entry(9, 'prompt_registry', { 'verify.answer.labels.production': { old: 2, new: 1 } }), item: 'verify.answer' }]);
    expect(root.querySelector('tr[data-entry="9"]')!.textContent).toContain('Prompt library · verify.answer');

    // A name the server would refuse (422) is not sent: the list stays, the field says why.
    fixture.componentInstance.filters.patchValue({ prompt: 'Verify answer' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await fixture.whenStable();
    const partial = expectList();
    expect(partial.request.params.has('prompt')).toBe(false);
    await flush(partial, [TEMPERATURE]);
    expect(fixture.componentInstance.filters.controls.prompt.invalid).toBe(true);
  });

  it('sends the filters to the server and says when nothing matches them', async () => {
    await render();
    await flush(expectList(), [TEMPERATURE]);
    const filters = fixture.componentInstance.filters;
    filters.patchValue({ domain: 'prompts', action: 'restore', changed_by: '  alice ', since: '2026-11-01T00:00' });
    await new Promise((resolve) => setTimeout(resolve, 350)); // the filters wait for a pause in typing
    await fixture.whenStable();
    const filtered = expectList();
    expect(filtered.request.params.get('domain')).toBe('prompts');
    expect(filtered.request.params.get('action')).toBe('restore');
    expect(filtered.request.params.get('changed_by')).toBe('alice');
    expect(filtered.request.params.get('since')).toBe(new Date('2026-11-01T00:00').toISOString());
    expect(filtered.request.params.has('until')).toBe(false);
    await flush(filtered, []);
    expect(root.textContent).toContain('No change matches these filters.');

    button('Clear filters')!.click();
    await new Promise((resolve) => setTimeout(resolve, 350));
    await fixture.whenStable();
    const cleared = expectList();
    expect(cleared.request.params.keys()).toEqual(['limit']);
    await flush(cleared, [TEMPERATURE]);
  });

  it('shows an entry’s changes as field / before / after, and a prompt as a line diff', async () => {
    await render();
    await flush(expectList(), [TEMPERATURE, PROMPT]);
    expect(root.querySelector('[data-details]')).toBeNull();
    for (const toggle of root.querySelectorAll<HTMLButtonElement>('[data-testid="history-toggle"]')) toggle.click();
    await fixture.whenStable();

    const temperature = root.querySelector('[data-details="7"] tr[data-field="llm_temperature"]')!;
    expect(temperature.querySelector('[data-testid="before"]')!.textContent).toBe('0.7');
    expect(temperature.querySelector('[data-testid="after"]')!.textContent).toBe('0.3');

    const prompt = root.querySelector('[data-details="6"] tr[data-field="system_prompt"]')!;
    expect(prompt.querySelector('.sb-diff__line--removed')!.textContent).toContain('Be brief.');
    expect(prompt.querySelector('.sb-diff__line--added')!.textContent).toContain('Be thorough.');
    expect(prompt.querySelectorAll('.sb-diff__line--same').length).toBe(2);
    expect(button('Hide changes')!.getAttribute('aria-expanded')).toBe('true');

    const details = root.querySelector('[data-details="7"]')!;
    expect(details.querySelector('[data-testid="history-compare"]')!.getAttribute('href')).toBe('/compare?left_entry_id=7&right_profile_id=1');
    expect(button('Restore this version…', details)).toBeDefined();
  });

  it('offers no restore to viewers', async () => {
    await render('viewer');
    await flush(expectList(), [TEMPERATURE]);
    button('Show changes')!.click();
    await fixture.whenStable();
    expect(root.querySelector('[data-testid="history-compare"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="history-restore"]')).toBeNull();
  });

  it('says a restore became a change request (202 from a profile that requires approval)', async () => {
    await render();
    await flush(expectList(), [TEMPERATURE]);
    const open = vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({ afterClosed: () => of({ profile: { change_request_id: 9 }, domain: null }) } as never);
    const success = vi.spyOn(TestBed.inject(SbNotifier), 'success');
    button('Show changes')!.click();
    await fixture.whenStable();
    root.querySelector<HTMLButtonElement>('[data-testid="history-restore"]')!.click();
    expect(open).toHaveBeenCalled();
    expect(success).toHaveBeenCalledWith('Proposed as change request #9: another editor approves it in Requests.');
    expectList().flush([TEMPERATURE]);
    backend.match(() => true).forEach((request) => request.flush([]));
  });

  it('shows the error state with a retry when the history cannot be loaded', async () => {
    await render();
    expectList().flush({ title: 'Service Unavailable', status: 503, detail: 'down' }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(root.textContent).toContain('The history could not be loaded.');
    button('Try again')!.click();
    await fixture.whenStable();
    await flush(expectList(), [TEMPERATURE]);
    expect(root.querySelectorAll('tr[data-entry]').length).toBe(1);
  });
});
