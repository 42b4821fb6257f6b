import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ResolvedConfigDto } from '../api/models';
import { SbAuthStore } from '../core/auth.store';
import { provideConsoleTesting, signInAs } from '../testing';
import { envLocks, envVariable, SbResolvedSources } from './env-source';

const RESOLVED = {
  pinned_version: null,
  profile: { id: 1, name: 'default', is_default: true, version: 1 },
  ai_infra: { llm_endpoint: 'e', llm_temperature: 0.7, llm_top_p: 1, llm_max_tokens: 10, llm_timeout_seconds: 60 },
  genie_space: { space_id: 'a'.repeat(32), space_name: 'From env', description: null },
  genie_spaces: [],
  mlflow: { experiment_name: '/Shared/env' },
  prompts: { system_prompt: 's', slide_editing_instructions: 'e', user_prompt_template: '{question} {max_slides}' },
  sources: {
    ai_infra: { llm_endpoint: 'database', llm_temperature: 'default' },
    genie_space: { space_id: 'database', space_name: 'env' },
    mlflow: { experiment_name: 'env' },
    prompts: { system_prompt: 'database' },
  },
  prompt_registry: {},
  stale: false,
} as ResolvedConfigDto;

describe('environment-locked values', () => {
  it('lists only the fields whose source is the environment, with the variable and the effective value', () => {
    expect(envLocks(null, 'mlflow').size).toBe(0);
    expect([...envLocks(RESOLVED, 'mlflow').values()]).toEqual([
      { field: 'experiment_name', source: 'env', variable: 'SWITCHBOARD__MLFLOW__EXPERIMENT_NAME', effective: '/Shared/env' },
    ]);
    expect(envLocks(RESOLVED, 'ai_infra').size).toBe(0);
    // The console's "genie" is resolved's genie_space and the variables' GENIE.
    expect(envLocks(RESOLVED, 'genie').get('space_name')).toEqual({
      field: 'space_name',
      source: 'env',
      variable: 'SWITCHBOARD__GENIE__SPACE_NAME',
      effective: 'From env',
    });
    expect(envVariable('ai_infra', 'llm_top_p')).toBe('SWITCHBOARD__AI_INFRA__LLM_TOP_P');
  });

  it('asks GET /api/config/resolved per profile, and again on refresh', () => {
    TestBed.configureTestingModule({ providers: provideConsoleTesting() });
    signInAs(TestBed.inject(SbAuthStore), 'viewer');
    const backend = TestBed.inject(HttpTestingController);
    const sources = TestBed.inject(SbResolvedSources);
    const locks = sources.lockedFields(1, 'mlflow');
    expect(locks().size).toBe(0);
    sources.refresh(1);
    backend.expectOne('/api/config/resolved?profile_id=1').flush(RESOLVED);
    expect(locks().get('experiment_name')?.effective).toBe('/Shared/env');
    sources.refresh(1);
    backend.expectOne('/api/config/resolved?profile_id=1').flush({ ...RESOLVED, sources: { ...RESOLVED.sources, mlflow: { experiment_name: 'database' } } });
    expect(locks().size).toBe(0);
    backend.verify();
    sessionStorage.clear();
  });
});
