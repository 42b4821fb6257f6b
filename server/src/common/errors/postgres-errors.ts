import type { FieldError } from './domain-errors.js';
import { type ProblemDetails, problem } from './problem-details.js';

interface PostgresError {
  code?: string;
  constraint?: string;
  column?: string;
  message?: string;
  detail?: string;
}

/** What a named constraint protects, in words a client can show next to the field. */
const CONSTRAINTS: Record<string, FieldError> = {
  uq_config_profiles_name_ci: { field: 'name', message: 'a profile with this name already exists (names are case-insensitive)' },
  chk_config_profiles_name_not_blank: { field: 'name', message: 'must not be blank' },
  chk_config_profiles_description_length: { field: 'description', message: 'must be at most 2000 characters' },
  chk_config_profiles_parent_not_self: { field: 'parent_profile_id', message: 'a profile cannot inherit from itself' },
  chk_config_profiles_no_cycle: { field: 'parent_profile_id', message: 'that profile inherits from this one' },
  chk_config_profiles_chain_length: { field: 'parent_profile_id', message: 'a chain of inheritance holds at most 5 profiles' },
  chk_config_ai_infra_endpoint_not_blank: { field: 'llm_endpoint', message: 'must not be blank' },
  chk_config_ai_infra_temperature_range: { field: 'llm_temperature', message: 'must be between 0 and 1' },
  chk_config_ai_infra_max_tokens_range: { field: 'llm_max_tokens', message: 'must be between 1 and 1000000' },
  chk_config_ai_infra_top_p_range: { field: 'llm_top_p', message: 'must be between 0 and 1' },
  chk_config_ai_infra_timeout_range: { field: 'llm_timeout_seconds', message: 'must be between 1 and 3600' },
  uq_config_genie_spaces_profile_space: { field: 'space_id', message: 'this profile already has a Genie space with this id' },
  chk_config_genie_spaces_space_id_not_blank: { field: 'space_id', message: 'must not be blank' },
  chk_config_genie_spaces_name_not_blank: { field: 'space_name', message: 'must not be blank' },
  chk_config_genie_spaces_description_length: { field: 'description', message: 'must be at most 2000 characters' },
  chk_config_mlflow_experiment_not_blank: { field: 'experiment_name', message: 'must not be blank' },
  chk_config_prompts_system_length: { field: 'system_prompt', message: 'must be at most 200000 characters' },
  chk_config_prompts_editing_length: { field: 'slide_editing_instructions', message: 'must be at most 200000 characters' },
  chk_config_prompts_template_length: { field: 'user_prompt_template', message: 'must be at most 200000 characters' },
  config_domains_pkey: { field: 'name', message: 'a domain with this name already exists' },
  uq_api_tokens_active_name_ci: { field: 'name', message: 'an active token with this name already exists (names are case-insensitive)' },
  chk_api_tokens_name_not_blank: { field: 'name', message: 'must not be blank' },
  chk_api_tokens_role: { field: 'role', message: 'must be one of viewer, agent, editor, admin' },
  uq_config_registry_prompts_profile_name: { field: 'name', message: 'this profile already has a prompt with this name' },
  chk_config_registry_prompt_versions_template_length: { field: 'template', message: 'must be at most 200000 characters' },
};

/**
 * Maps PostgreSQL errors that a request can legitimately cause to problem details; returns
 * undefined for the rest, which are bugs (500).
 */
export function postgresErrorToProblem(error: PostgresError): ProblemDetails | undefined {
  const known = error.constraint ? CONSTRAINTS[error.constraint] : undefined;
  const errors = known ? [known] : undefined;
  switch (error.code) {
    case '23505': // unique_violation
      return problem(409, 'conflict', known ? `${known.field} ${known.message}` : 'The value is already taken.', errors);
    case '23514': // check_violation
    case '23502': // not_null_violation
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
      return problem(422, 'validation-failed', known ? `${known.field} ${known.message}` : 'A value is out of its allowed range.', errors ?? columnError(error));
    case '23001': // restrict_violation, raised by our triggers with a sentence for people
      return problem(409, 'conflict', error.message ?? 'The change would break a rule of the data.');
    case '23503': // foreign_key_violation
      return /still referenced/.test(error.detail ?? '')
        ? problem(409, 'in-use', 'The row is still in use (for example by a live agent session).')
        : problem(404, 'not-found', 'A referenced row does not exist.');
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return problem(409, 'concurrent-change', 'Another change to the same data happened at the same moment; retry the request.');
    case '22021': // character_not_in_repertoire: a NUL in text
    case '22P05': // untranslatable_character: a \u0000 in jsonb
      return problem(422, 'validation-failed', 'A text value contains characters that cannot be stored (such as NUL).', columnError(error));
    case '22P02': // invalid_text_representation
      return problem(400, 'malformed-value', 'A value has the wrong format.');
    default:
      return undefined;
  }
}

function columnError(error: PostgresError): FieldError[] | undefined {
  return error.column ? [{ field: error.column, message: 'is missing or out of range' }] : undefined;
}
