import { isMap, parseDocument } from 'yaml';
import { DEFAULT_AI_INFRA, DEFAULT_MLFLOW, DEFAULT_PROMPTS } from '../common/defaults/default-config.js';
import { type FieldError, UnprocessableError } from '../common/errors/domain-errors.js';
import { PROFILE_DOCUMENT_FORMAT, PROFILE_DOCUMENT_VERSION } from './dto/profile-document.dto.js';

/** The slide generator's YAML files before Switchboard (seed 001, "Migration from YAML to Database"). */
export interface LegacyYamlFiles {
  config_yaml?: string;
  mlflow_yaml?: string;
  prompts_yaml?: string;
}

export interface LegacyYamlWarning {
  /** `config.yaml:llm.top_p`: the file and the key path. */
  field: string;
  message: string;
}

export const LEGACY_PROFILE_NAME = 'migrated_from_yaml';
const SPACE_NAME = 'Migrated Genie Space';

/** Where each value of the profile document comes from: `config.yaml` key paths by document field. */
const SOURCES: Record<string, { file: keyof LegacyYamlFiles; path: string[] }> = {
  'ai_infra.llm_endpoint': { file: 'config_yaml', path: ['llm', 'endpoint'] },
  'ai_infra.llm_temperature': { file: 'config_yaml', path: ['llm', 'temperature'] },
  'ai_infra.llm_max_tokens': { file: 'config_yaml', path: ['llm', 'max_tokens'] },
  // Not in the seed's files, but Switchboard settings: taken when present.
  'ai_infra.llm_top_p': { file: 'config_yaml', path: ['llm', 'top_p'] },
  'ai_infra.llm_timeout_seconds': { file: 'config_yaml', path: ['llm', 'timeout_seconds'] },
  // Keyed as the validation names array items (genie_spaces.0.space_id), for inYamlTerms.
  'genie_spaces.0.space_id': { file: 'config_yaml', path: ['genie', 'default_space_id'] },
  'genie_spaces.0.description': { file: 'config_yaml', path: ['genie', 'description'] },
  'mlflow.experiment_name': { file: 'mlflow_yaml', path: ['tracking', 'experiment_name'] },
  'prompts.system_prompt': { file: 'prompts_yaml', path: ['system_prompt'] },
  'prompts.slide_editing_instructions': { file: 'prompts_yaml', path: ['slide_editing_instructions'] },
  'prompts.user_prompt_template': { file: 'prompts_yaml', path: ['user_prompt_template'] },
};

const fileName = (file: keyof LegacyYamlFiles) => file.replace('_yaml', '.yaml');
const at = (file: keyof LegacyYamlFiles, path: string[]) => `${fileName(file)}:${path.join('.')}`;

/**
 * The three YAML files as the export document `POST …/profiles/import` reads, so that they are
 * checked exactly as any import. A value the files leave out takes the built-in default (a
 * warning says so); a key Switchboard does not know is a warning, not silently dropped; a file
 * that is not YAML is a 422 naming the file, line and column. Without config.yaml's Genie space
 * the profile has none.
 */
export function legacyYamlDocument(files: LegacyYamlFiles, name = LEGACY_PROFILE_NAME): { document: Record<string, unknown>; warnings: LegacyYamlWarning[] } {
  if (!files.config_yaml && !files.mlflow_yaml && !files.prompts_yaml) {
    throw new UnprocessableError('Give at least one of config.yaml, mlflow.yaml and prompts.yaml.', [
      { field: 'config_yaml', message: 'config_yaml, mlflow_yaml or prompts_yaml is required' },
    ]);
  }
  const parsed = {
    config_yaml: parseFile('config_yaml', files.config_yaml),
    mlflow_yaml: parseFile('mlflow_yaml', files.mlflow_yaml),
    prompts_yaml: parseFile('prompts_yaml', files.prompts_yaml),
  };
  const warnings: LegacyYamlWarning[] = (Object.keys(parsed) as (keyof LegacyYamlFiles)[])
    .filter((file) => files[file] === undefined)
    .map((file) => ({ field: fileName(file), message: 'not given: its settings take the built-in defaults' }));
  const known = new Set<string>();
  /** `quiet`: a setting the seed's files never had, so its absence is not worth a warning. */
  const value = (field: string, fallback: unknown, quiet = false): unknown => {
    const { file, path } = SOURCES[field]!;
    path.forEach((_, index) => known.add(`${file}:${path.slice(0, index + 1).join('.')}`));
    const found = path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), parsed[file]);
    if (found !== undefined) return found;
    if (!quiet && fallback !== undefined && files[file] !== undefined) warnings.push({ field: at(file, path), message: `missing: the built-in default ${JSON.stringify(fallback)} is used` });
    return fallback;
  };

  const spaceId = value('genie_spaces.0.space_id', undefined);
  const spaceDescription = value('genie_spaces.0.description', undefined);
  if (spaceId === undefined && spaceDescription !== undefined) {
    warnings.push({ field: 'config.yaml:genie.description', message: 'left out: there is no genie.default_space_id to describe' });
  }
  const document = {
    format: PROFILE_DOCUMENT_FORMAT,
    format_version: PROFILE_DOCUMENT_VERSION,
    profile: {
      name,
      description: 'Configuration migrated from YAML files',
      ai_infra: {
        llm_endpoint: value('ai_infra.llm_endpoint', DEFAULT_AI_INFRA.llm_endpoint),
        llm_temperature: value('ai_infra.llm_temperature', DEFAULT_AI_INFRA.llm_temperature),
        llm_max_tokens: value('ai_infra.llm_max_tokens', DEFAULT_AI_INFRA.llm_max_tokens),
        llm_top_p: value('ai_infra.llm_top_p', DEFAULT_AI_INFRA.llm_top_p, true),
        llm_timeout_seconds: value('ai_infra.llm_timeout_seconds', DEFAULT_AI_INFRA.llm_timeout_seconds, true),
      },
      genie_spaces:
        spaceId === undefined
          ? []
          : [{ space_id: spaceId, space_name: SPACE_NAME, description: spaceDescription ?? null, is_default: true }],
      mlflow: { experiment_name: value('mlflow.experiment_name', DEFAULT_MLFLOW.experiment_name) },
      prompts: {
        system_prompt: value('prompts.system_prompt', DEFAULT_PROMPTS.system_prompt),
        slide_editing_instructions: value('prompts.slide_editing_instructions', DEFAULT_PROMPTS.slide_editing_instructions),
        user_prompt_template: value('prompts.user_prompt_template', DEFAULT_PROMPTS.user_prompt_template),
      },
    },
  };
  for (const file of Object.keys(parsed) as (keyof LegacyYamlFiles)[]) {
    for (const path of keyPaths(parsed[file])) {
      if (!known.has(`${file}:${path}`)) warnings.push({ field: `${fileName(file)}:${path}`, message: 'not a setting Switchboard knows: left out' });
    }
  }
  return { document, warnings };
}

/** A refusal of the document, its fields named as the files name them (`config.yaml:llm.temperature`). */
export function inYamlTerms(errors: FieldError[]): FieldError[] {
  return errors.map((error) => {
    const field = error.field.replace(/^profile\./, '');
    const source = SOURCES[field];
    return source ? { ...error, field: at(source.file, source.path) } : error;
  });
}

function parseFile(file: keyof LegacyYamlFiles, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const document = parseDocument(text);
  const [error] = document.errors;
  if (error) {
    const position = error.linePos?.[0];
    // The message ends with its position and an excerpt; the position is given on its own.
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UnprocessableError(`${fileName(file)} is not valid YAML.`, [
      { field: fileName(file), message: `${position ? `line ${position.line}, column ${position.col}: ` : ''}${reason}` },
    ]);
  }
  if (document.contents !== null && !isMap(document.contents)) {
    throw new UnprocessableError(`${fileName(file)} must hold a mapping of keys.`, [{ field: fileName(file), message: 'must be a mapping (key: value lines)' }]);
  }
  try {
    // Aliases resolve here: an unknown one, or too many (an alias bomb), is the file's fault.
    return (document.toJS({ maxAliasCount: 50 }) as Record<string, unknown> | null) ?? {};
  } catch (error) {
    throw new UnprocessableError(`${fileName(file)} cannot be read.`, [{ field: fileName(file), message: error instanceof Error ? error.message : String(error) }]);
  }
}

/** Every key path of a mapping, nested mappings included (`llm`, `llm.endpoint`, …). */
function keyPaths(node: unknown, prefix = ''): string[] {
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)]);
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
