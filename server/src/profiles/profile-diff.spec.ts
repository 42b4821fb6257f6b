import type { ProfileDocumentDto } from './dto/profile-document.dto.js';
import { diffProfileDocuments, hasDifferences } from './profile-diff.js';

const SPACE_A = 'a'.repeat(32);
const SPACE_B = 'b'.repeat(32);

function document(overrides: Partial<ProfileDocumentDto> = {}): ProfileDocumentDto {
  return {
    name: 'Production',
    description: null,
    ai_infra: { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.7, llm_max_tokens: 60000, llm_top_p: 1, llm_timeout_seconds: 120 },
    genie_spaces: [
      { space_id: SPACE_A, space_name: 'Sales', description: 'Orders', is_default: true },
      { space_id: SPACE_B, space_name: 'Ops', description: null, is_default: false },
    ],
    mlflow: { experiment_name: '/Shared/prod' },
    prompts: { system_prompt: 'Be exact.', slide_editing_instructions: 'Edit.', user_prompt_template: '{question} in {max_slides}' },
    ...overrides,
  };
}

const NONE = { profile: {}, ai_infra: {}, genie: {}, mlflow: {}, prompts: {}, domains: {} };

describe('diffProfileDocuments', () => {
  it('finds no difference between equal documents, whatever the order of their spaces', () => {
    const reordered = document({ genie_spaces: [...document().genie_spaces].reverse() });
    const differences = diffProfileDocuments(document(), reordered);
    expect(differences).toEqual(NONE);
    expect(hasDifferences(differences)).toBe(false);
  });

  it('lists only the differing fields, per domain, as {left, right}', () => {
    const right = document({
      name: 'Fast Mode',
      ai_infra: { ...document().ai_infra, llm_temperature: 0.2, llm_max_tokens: 1000 },
      prompts: { ...document().prompts, system_prompt: 'Be quick.' },
    });
    const differences = diffProfileDocuments(document(), right);
    expect(differences).toEqual({
      ...NONE,
      profile: { name: { left: 'Production', right: 'Fast Mode' } },
      ai_infra: { llm_temperature: { left: 0.7, right: 0.2 }, llm_max_tokens: { left: 60000, right: 1000 } },
      prompts: { system_prompt: { left: 'Be exact.', right: 'Be quick.' } },
    });
    expect(hasDifferences(differences)).toBe(true);
  });

  it('matches Genie spaces by space_id, including which one is the default', () => {
    const right = document({
      genie_spaces: [
        { space_id: SPACE_B, space_name: 'Ops', description: null, is_default: true },
        { space_id: SPACE_A, space_name: 'Sales', description: 'Orders', is_default: false },
      ],
    });
    expect(diffProfileDocuments(document(), right).genie).toEqual({
      [`${SPACE_A}.is_default`]: { left: true, right: false },
      [`${SPACE_B}.is_default`]: { left: false, right: true },
    });
  });

  it('treats a missing description as null', () => {
    const left = document({ description: undefined });
    expect(diffProfileDocuments(left, document({ description: null })).profile).toEqual({});
    expect(diffProfileDocuments(left, document({ description: 'Now described' })).profile).toEqual({
      description: { left: null, right: 'Now described' },
    });
  });
});
