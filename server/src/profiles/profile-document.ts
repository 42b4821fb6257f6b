import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AI_INFRA_FIELDS } from '../ai-infra/dto/ai-infra.dto.js';
import { UnprocessableError } from '../common/errors/domain-errors.js';
import { isPlainObject } from '../common/json.js';
import { flattenValidationErrors } from '../common/validation/validation-pipe.js';
import { PROMPT_FIELDS } from '../prompts/prompt-template.validator.js';
import { PROFILE_DOCUMENT_FORMAT, PROFILE_DOCUMENT_VERSION, ProfileDocumentDto, type ProfileExportDto } from './dto/profile-document.dto.js';
import type { ProfileDetailDto } from './dto/profile-responses.dto.js';
import type { RegistryPromptDocumentDto } from '../prompt-registry/dto/registry-prompt.dto.js';

/**
 * Largest import accepted (413 beyond). A document's prompts alone may hold 3 × 200,000
 * characters, up to 4 bytes each in UTF-8, and more once JSON-escaped.
 */
export const PROFILE_DOCUMENT_MAX_BYTES = 4 * 1024 * 1024;

export const DOCUMENT_FIELDS = {
  profile: ['name', 'description'],
  ai_infra: AI_INFRA_FIELDS,
  genie_space: ['space_id', 'space_name', 'description', 'is_default'],
  mlflow: ['experiment_name'],
  prompts: PROMPT_FIELDS,
} as const;

type Json = Record<string, unknown>;

/**
 * The document of a profile detail, or of a history snapshot (a detail stored as JSON, possibly
 * written by an older version): known fields only; whatever is missing stays missing, for
 * validation to report.
 */
export function toProfileDocument(profile: ProfileDetailDto | Json): ProfileDocumentDto {
  const source = profile as Json;
  return {
    ...pick(source, DOCUMENT_FIELDS.profile),
    ai_infra: pick(source.ai_infra, DOCUMENT_FIELDS.ai_infra),
    genie_spaces: Array.isArray(source.genie_spaces) ? source.genie_spaces.map((space) => pick(space, DOCUMENT_FIELDS.genie_space)) : undefined,
    mlflow: pick(source.mlflow, DOCUMENT_FIELDS.mlflow),
    prompts: pick(source.prompts, DOCUMENT_FIELDS.prompts),
    ...(isPlainObject(source.domains) && { domains: registeredValues(source.domains) }),
    ...(Array.isArray(source.prompt_registry) && { prompt_registry: source.prompt_registry }),
  } as unknown as ProfileDocumentDto;
}

/** The export file; a profile with a parent is written as its parent's name and its overrides. */
export function toProfileExport(profile: ProfileDetailDto, promptRegistry: RegistryPromptDocumentDto[] = [], now = new Date()): ProfileExportDto {
  const document = toProfileDocument(profile);
  return {
    format: PROFILE_DOCUMENT_FORMAT,
    format_version: PROFILE_DOCUMENT_VERSION,
    exported_at: now.toISOString(),
    profile: { ...(profile.parent_profile_name ? overridesOf(document, profile, profile.parent_profile_name) : document), prompt_registry: promptRegistry },
  };
}

/** A child's document: its parent's name, of each one-row domain only the values it sets itself, and its own Genie spaces. */
function overridesOf(document: ProfileDocumentDto, profile: ProfileDetailDto, parent: string): ProfileDocumentDto {
  const own = (values: object, inherited: readonly string[]) => Object.fromEntries(Object.entries(values).filter(([field]) => !inherited.includes(field)));
  const domains = Object.entries(document.domains ?? {}).map(([name, values]) => [name, own(values, profile.domains[name]?.inherited ?? [])] as const);
  return {
    ...document,
    parent,
    ai_infra: own(document.ai_infra, profile.ai_infra.inherited),
    // Its own Genie spaces; an inherited one it made its default, too (a default it follows is not named).
    genie_spaces: profile.genie_spaces
      .filter((space) => !space.inherited || (space.is_default && !space.default_inherited))
      .map((space) => ({ ...pick(space, DOCUMENT_FIELDS.genie_space), is_default: space.is_default && !space.default_inherited })),
    mlflow: own(document.mlflow, profile.mlflow.inherited),
    prompts: own(document.prompts, profile.prompts.inherited),
    domains: Object.fromEntries(domains.filter(([, values]) => Object.keys(values).length)),
  } as ProfileDocumentDto;
}

/** A child's document with what it does not override taken from its parent's: a full document again. */
export function withParentValues(document: ProfileDocumentDto, parent: ProfileDocumentDto): ProfileDocumentDto {
  // Validated documents are class instances whose fields left out are there, undefined.
  const given = (values: object) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  return {
    ...document,
    ai_infra: { ...parent.ai_infra, ...given(document.ai_infra) },
    mlflow: { ...parent.mlflow, ...given(document.mlflow) },
    prompts: { ...parent.prompts, ...given(document.prompts) },
  };
}

/** Checks a document (e.g. a history snapshot) with the rules of the write DTOs; any failure is a 422. */
export async function parseProfileDocument(document: ProfileDocumentDto): Promise<ProfileDocumentDto> {
  const instance = plainToInstance(ProfileDocumentDto, document);
  const errors = flattenValidationErrors(await validate(instance, { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length) {
    throw new UnprocessableError(
      `The profile document breaks ${errors.length} rule(s); the first: ${errors[0].message}`,
      errors.map(({ field, message }) => ({ field, message })),
    );
  }
  return instance;
}

/** A detail's (or snapshot's) `{name: {values, version, updated_at}}` as a document's `{name: values}`. */
function registeredValues(domains: Json): Json {
  return Object.fromEntries(Object.entries(domains).map(([name, stored]) => [name, isPlainObject(stored) ? stored.values : undefined]));
}

function pick(value: unknown, fields: readonly string[]): Json | undefined {
  if (!isPlainObject(value)) return undefined;
  const source = value as Json;
  return Object.fromEntries(fields.filter((field) => field in source).map((field) => [field, source[field]]));
}
