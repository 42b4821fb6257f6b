import { TestBed } from '@angular/core/testing';

import { formatWhen, SbWhenComponent } from './when';

describe('formatWhen', () => {
  it("shows every date in the reader's locale, with seconds", () => {
    const at = new Date(2026, 10, 26, 14, 5, 9);
    expect(formatWhen(at)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(at));
    expect(formatWhen(at)).toMatch(/2026/);
    expect(formatWhen(at)).toMatch(/05:09|5:09/);
    expect(formatWhen(at.toISOString())).toBe(formatWhen(at));
  });

  afterEach(() => TestBed.resetTestingModule());

  it('<sb-when> gives the exact ISO time as datetime and tooltip', async () => {
    TestBed.configureTestingModule({ imports: [SbWhenComponent] });
    const fixture = TestBed.createComponent(SbWhenComponent);
    fixture.componentRef.setInput('at', '2026-11-26T14:05:09.120Z');
    await fixture.whenStable();
    const time = (fixture.nativeElement as HTMLElement).querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-11-26T14:05:09.120Z');
    expect(time.textContent).toBe(formatWhen('2026-11-26T14:05:09.120Z'));
  });
});
