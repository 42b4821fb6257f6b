import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { SbAppComponent } from './app.component';
import { routes } from './app.routes';

describe('SbAppComponent', () => {
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SbAppComponent],
      providers: [provideRouter(routes)],
    }).compileComponents();
  });

  it('renders the toolbar title', async () => {
    const fixture = TestBed.createComponent(SbAppComponent);
    await fixture.whenStable();

    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('mat-toolbar')?.textContent?.trim()).toBe('Switchboard');
  });

  it('shows the home page with a link to the API documentation', async () => {
    const harness = await RouterTestingHarness.create('/');

    const link = harness.routeNativeElement?.querySelector<HTMLAnchorElement>('a[href="/docs"]');
    expect(link?.textContent?.trim()).toBe('Open the API documentation');
  });
});
