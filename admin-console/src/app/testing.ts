import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { PrincipalDto, ProfileDetailDto, ProfileListItemDto } from './api/models';
import { SB_FORM_FIELD_PROVIDERS } from './app.config';
import { sbAuthInterceptor } from './core/auth.interceptor';
import { SbAuthStore } from './core/auth.store';
import { SbDomainCatalog } from './core/domain-catalog';
import { SbChange, SbChangeRequestEvent, SbLiveChanges, SbReload, SbScheduleEvent } from './core/live-changes';
import { SbDomainList } from './shared/domains';
import { sbProblemInterceptor } from './core/problem.interceptor';

/** The console's real HTTP stack (both interceptors) on Angular's testing backend. */
export function provideConsoleTesting(): (Provider | EnvironmentProviders)[] {
  return [
    ...SB_FORM_FIELD_PROVIDERS,
    provideRouter([]),
    provideHttpClient(withInterceptors([sbAuthInterceptor, sbProblemInterceptor])),
    provideHttpClientTesting(),
    { provide: SbLiveChanges, useFactory: () => new SbLiveChangesStub() },
    { provide: SbDomainCatalog, useValue: { domains: () => TEST_DOMAINS } },
  ];
}

/** The built-in domains' titles as the server's schemas give them (a registered test domain too). */
export const TEST_DOMAINS: SbDomainList = [
  {
    name: 'ai_infra',
    title: 'AI infrastructure',
    schema: {
      properties: {
        llm_endpoint: { title: 'Serving endpoint' },
        llm_temperature: { title: 'Temperature' },
        llm_max_tokens: { title: 'Max tokens' },
        llm_top_p: { title: 'Top p' },
        llm_timeout_seconds: { title: 'Timeout (seconds)' },
      },
    },
  },
  { name: 'genie_spaces', title: 'Genie spaces', schema: { items: { properties: { space_id: { title: 'Space id' }, space_name: { title: 'Name' }, description: { title: 'Description' }, is_default: { title: 'Default' } } } } },
  { name: 'mlflow', title: 'MLflow', schema: { properties: { experiment_name: { title: 'Experiment' } } } },
  {
    name: 'prompts',
    title: 'Prompts',
    schema: { properties: { system_prompt: { title: 'System prompt' }, slide_editing_instructions: { title: 'Slide editing instructions' }, user_prompt_template: { title: 'User prompt template' } } },
  },
];

/** The change stream in component tests: nothing connects; a test emits the events it needs. */
export class SbLiveChangesStub implements Pick<SbLiveChanges, 'changes' | 'reloads' | 'changeRequests' | 'schedules'> {
  readonly changes = new Subject<SbChange>();
  readonly reloads = new Subject<SbReload>();
  readonly changeRequests = new Subject<SbChangeRequestEvent>();
  readonly schedules = new Subject<SbScheduleEvent>();
  readonly state = () => 'live' as const;
}

export function signInAs(auth: SbAuthStore, role: PrincipalDto['role'], grants: PrincipalDto['grants'] = []): void {
  auth.setToken('sb_test-token');
  auth.setPrincipal({ name: `${role}-user`, role, via: 'token', grants });
}

export const PROBLEM_HEADERS = { 'content-type': 'application/problem+json' };

/** What the profile list's rows and the detail of the default profile "Base" (id 1) share. */
const BASE_PROFILE = {
  id: 1,
  name: 'Base',
  description: null,
  is_default: true,
  version: 1,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
};

/** A row of the profile list as the server sends it: the default profile "Base" (id 1), changed by `fields`. */
export function listedProfile(fields: Partial<ProfileListItemDto> = {}): ProfileListItemDto {
  return {
    ...BASE_PROFILE,
    last_changed_at: '2026-11-23T12:00:00.000Z',
    last_changed_by: 'alice',
    live_sessions: 0,
    parent_profile_id: null,
    ...fields,
  };
}

/**
 * A profile's detail as the server sends it: "Base" (id 1), without a parent, changed by `fields`.
 * The domains' rows are left out: the specs using it read the parent and `inherited_from`.
 */
export function profileDetail(fields: Partial<ProfileDetailDto> = {}): ProfileDetailDto {
  return {
    ...BASE_PROFILE,
    created_by: 'alice',
    updated_by: 'alice',
    parent_profile_id: null,
    parent_profile_name: null,
    inherited_from: {},
    genie_spaces: [],
    domains: {},
    ...fields,
  } as ProfileDetailDto;
}
