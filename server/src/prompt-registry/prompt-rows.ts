import type { EntityManager } from 'typeorm';
import { NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import { checkDeclaredTemplate, renderTemplate, type TemplateIssue } from '../prompts/prompt-template.validator.js';
import type { DeclaredVariableDto, PromptVersionDto, RegistryPromptDto, VersionContentDto } from './dto/registry-prompt.dto.js';
import { LABEL_NAME } from './dto/registry-prompt.dto.js';
import type { DeclaredVariable } from './entities/registry-prompt.entity.js';

/** The registry's rows as its statements read them, and the helpers its writes share. */

export interface PromptRow {
  id: number;
  name: string;
  description: string;
  variables: DeclaredVariable[];
  latest_version: number;
  inherited: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  labels: Record<string, number> | null;
}

export interface VersionRow {
  version: number;
  template: string;
  model_parameters: Record<string, unknown> | null;
  message: string;
  created_by: string;
  created_at: Date;
}

export const PROMPT_COLUMNS = `r.id, r.name, r.description, r.variables, r.latest_version, r.inherited, r.created_by, r.created_at, r.updated_at,
  (SELECT jsonb_object_agg(l.label, l.version ORDER BY l.label) FROM config_registry_prompt_labels l WHERE l.prompt_id = r.id) AS labels`;

export async function insertPrompt(
  manager: EntityManager,
  profileId: number,
  prompt: { name: string; description?: string },
  variables: DeclaredVariable[],
  actor: string,
  createdAt?: string,
): Promise<number> {
  const [row]: { id: number }[] = await manager.query(
    `INSERT INTO config_registry_prompts (profile_id, name, description, variables, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now())) RETURNING id`,
    [profileId, prompt.name, prompt.description ?? '', JSON.stringify(variables), actor, createdAt ?? null],
  );
  return row!.id;
}

/** The database numbers the version (the 0 sent is replaced by its trigger). */
export async function insertVersion(manager: EntityManager, promptId: number, content: VersionContentDto, actor: string): Promise<VersionRow> {
  const [row]: VersionRow[] = await manager.query(
    `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, model_parameters, message, created_by) VALUES ($1, 0, $2, $3, $4, $5)
     RETURNING version, template, model_parameters, message, created_by, created_at`,
    [promptId, content.template, content.model_parameters ?? null, content.message ?? '', actor],
  );
  return row!;
}

export async function findVersion(manager: EntityManager, prompt: PromptRow, version: number): Promise<VersionRow> {
  const rows: VersionRow[] = await manager.query(
    `SELECT version, template, model_parameters, message, created_by, created_at FROM config_registry_prompt_versions WHERE prompt_id = $1 AND version = $2`,
    [prompt.id, version],
  );
  if (!rows.length) throw new NotFoundError(`Prompt "${prompt.name}" has no version ${version}; its versions are 1 to ${prompt.latest_version}.`);
  return rows[0];
}

export function labelledVersion(prompt: PromptRow, label: string): number {
  if (label === 'latest') return prompt.latest_version;
  const version = prompt.labels?.[label];
  if (version === undefined) throw new NotFoundError(`Prompt "${prompt.name}" has no label "${label}".`);
  return version;
}

export function assertLabelName(label: string): void {
  if (label === 'latest') throw new UnprocessableError('latest is implicit (the newest version) and cannot be set.', [{ field: 'label', message: 'is reserved' }]);
  if (!LABEL_NAME.test(label)) {
    throw new UnprocessableError(`"${label}" is not a label name.`, [{ field: 'label', message: 'must start with a-z and hold only a-z, 0-9, _ and - (at most 50 characters)' }]);
  }
}

/** The declared variables as stored: `required` defaults to true, names are unique. */
export function declared(variables: DeclaredVariableDto[]): DeclaredVariable[] {
  const seen = new Set<string>();
  return variables.map((variable, index) => {
    if (seen.has(variable.name)) throw new UnprocessableError(`The variable ${variable.name} is declared twice.`, [{ field: `variables[${index}].name`, message: 'is declared twice' }]);
    seen.add(variable.name);
    return {
      name: variable.name,
      required: variable.required ?? true,
      ...(variable.description !== undefined && { description: variable.description }),
      ...(variable.sample !== undefined && { sample: variable.sample }),
    };
  });
}

/** A placeholder that names no declared variable, or a stray brace, is a 422 with its position. */
export function checkTemplate(template: string, variables: readonly DeclaredVariable[]): void {
  const { errors } = checkDeclaredTemplate(template, variables);
  if (errors.length) {
    throw new UnprocessableError(`The template has ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errors[0]!.message}`, errors.map(templateFieldError));
  }
}

export function templateFieldError({ message, code, line, column, offset, length }: TemplateIssue) {
  return { field: 'template', message, code, line, column, offset, length };
}

/** Required variables need a value; optional ones left out render empty; undeclared values are refused. */
export function fill(prompt: PromptRow, template: string, values: Record<string, unknown>): string {
  const names = prompt.variables.map((variable) => variable.name);
  const problems = [
    ...Object.entries(values)
      .filter(([key, value]) => !names.includes(key) || typeof value !== 'string')
      .map(([key]) => ({ field: `variables.${key}`, message: names.includes(key) ? 'must be a string' : 'is not a declared variable of this prompt' })),
    ...prompt.variables.filter((variable) => variable.required && !Object.hasOwn(values, variable.name)).map((variable) => ({ field: `variables.${variable.name}`, message: 'is required' })),
  ];
  if (problems.length) throw new UnprocessableError(`The values do not fit the variables of prompt "${prompt.name}".`, problems);
  const withOptional = Object.fromEntries(prompt.variables.map((variable) => [variable.name, (values[variable.name] as string | undefined) ?? '']));
  return renderTemplate(template, withOptional, names);
}

export function toPromptDto(row: PromptRow): RegistryPromptDto {
  return {
    name: row.name,
    description: row.description,
    variables: row.variables.map(toVariableDto),
    latest_version: row.latest_version,
    labels: row.labels ?? {},
    inherited: row.inherited,
    created_by: row.created_by,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export function toVariableDto(variable: DeclaredVariable) {
  return { name: variable.name, description: variable.description ?? null, required: variable.required, sample: variable.sample ?? null };
}

export function toVersionDto(prompt: string, row: VersionRow): PromptVersionDto {
  return {
    prompt,
    version: row.version,
    template: row.template,
    model_parameters: row.model_parameters,
    message: row.message,
    created_by: row.created_by,
    created_at: new Date(row.created_at).toISOString(),
  };
}
