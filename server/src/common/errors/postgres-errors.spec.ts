import { postgresErrorToProblem } from './postgres-errors.js';

describe('postgresErrorToProblem', () => {
  it('maps a duplicate profile name to 409 with the field', () => {
    expect(postgresErrorToProblem({ code: '23505', constraint: 'uq_config_profiles_name_ci' })).toMatchObject({
      status: 409,
      errors: [{ field: 'name', message: expect.stringMatching(/already exists/) }],
    });
  });

  it('maps a range check to 422 with the field', () => {
    expect(postgresErrorToProblem({ code: '23514', constraint: 'chk_config_ai_infra_temperature_range' })).toMatchObject({
      status: 422,
      errors: [{ field: 'llm_temperature', message: 'must be between 0 and 1' }],
    });
  });

  it('maps the default-profile guard to 409 with its own sentence', () => {
    const message = 'profile "a" is the default profile and cannot be deleted; set another profile as default first';
    expect(postgresErrorToProblem({ code: '23001', message })).toMatchObject({ status: 409, detail: message });
  });

  it('maps a profile still referenced by a session to 409 and a missing parent to 404', () => {
    expect(postgresErrorToProblem({ code: '23503', detail: 'Key (id)=(3) is still referenced from table "agent_sessions".' }))
      .toMatchObject({ status: 409, type: 'urn:switchboard:problem:in-use' });
    expect(postgresErrorToProblem({ code: '23503', detail: 'Key (profile_id)=(9) is not present in table "config_profiles".' }))
      .toMatchObject({ status: 404 });
  });

  it('maps serialisation failures and deadlocks to a retryable 409', () => {
    expect(postgresErrorToProblem({ code: '40001' })?.status).toBe(409);
    expect(postgresErrorToProblem({ code: '40P01' })?.status).toBe(409);
  });

  it('leaves unexpected errors unmapped (they are bugs: 500)', () => {
    expect(postgresErrorToProblem({ code: '42P01' })).toBeUndefined();
    expect(postgresErrorToProblem({})).toBeUndefined();
  });
});
