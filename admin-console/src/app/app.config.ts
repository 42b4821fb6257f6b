import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { ErrorStateMatcher, ShowOnDirtyErrorStateMatcher } from '@angular/material/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { provideRouter, withComponentInputBinding, withRouterConfig } from '@angular/router';

import { routes } from './app.routes';
import { sbAuthInterceptor } from './core/auth.interceptor';
import { sbProblemInterceptor } from './core/problem.interceptor';

/** How every form field behaves (also used by the component tests). */
export const SB_FORM_FIELD_PROVIDERS = [
  // Inline validation: a field shows its error as soon as it is edited, not only after leaving it.
  { provide: ErrorStateMatcher, useClass: ShowOnDirtyErrorStateMatcher },
  { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } },
];

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // The child tabs read the parent's :profileId as an input.
    provideRouter(routes, withComponentInputBinding(), withRouterConfig({ paramsInheritanceStrategy: 'always' })),
    // The generated client calls the page's own origin (ApiConfiguration.rootUrl ''): the server
    // in production, `ng serve`'s proxy in development.
    provideHttpClient(withInterceptors([sbAuthInterceptor, sbProblemInterceptor])),
    ...SB_FORM_FIELD_PROVIDERS,
  ],
};
