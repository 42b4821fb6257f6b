import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { PrincipalDto } from './api/models';
import { SB_FORM_FIELD_PROVIDERS } from './app.config';
import { sbAuthInterceptor } from './core/auth.interceptor';
import { SbAuthStore } from './core/auth.store';
import { SbChange, SbLiveChanges, SbReload } from './core/live-changes';
import { sbProblemInterceptor } from './core/problem.interceptor';

/** The console's real HTTP stack (both interceptors) on Angular's testing backend. */
export function provideConsoleTesting(): (Provider | EnvironmentProviders)[] {
  return [
    ...SB_FORM_FIELD_PROVIDERS,
    provideRouter([]),
    provideHttpClient(withInterceptors([sbAuthInterceptor, sbProblemInterceptor])),
    provideHttpClientTesting(),
    { provide: SbLiveChanges, useFactory: () => new SbLiveChangesStub() },
  ];
}

/** The change stream in component tests: nothing connects; a test emits the events it needs. */
export class SbLiveChangesStub implements Pick<SbLiveChanges, 'changes' | 'reloads'> {
  readonly changes = new Subject<SbChange>();
  readonly reloads = new Subject<SbReload>();
  readonly state = () => 'live' as const;
}

export function signInAs(auth: SbAuthStore, role: PrincipalDto['role']): void {
  auth.setToken('sb_test-token');
  auth.setPrincipal({ name: `${role}-user`, role, via: 'token' });
}

export const PROBLEM_HEADERS = { 'content-type': 'application/problem+json' };
