import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that the Switchboard spec uses. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  format?: string;
  example?: unknown;
  default?: unknown;
  description?: string;
  $ref?: string;
  allOf?: JsonSchema[];
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: HttpMethod;
  /** The templated path, e.g. `/api/config/ai-infra/{profile_id}`. */
  path: string;
  operationId: string;
  parameters: Parameter[];
  /** The JSON request body schema, `$ref`s resolved; undefined when the operation takes none. */
  body?: JsonSchema;
  /** Documented response statuses. */
  responses: number[];
  /** `security: [{}]`: no credentials needed (the health probes). */
  isPublic: boolean;
  /** The least role the operation needs, as the spec states it (`x-switchboard-role`). */
  requiredRole?: 'viewer' | 'agent' | 'editor' | 'admin';
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface RawOperation {
  operationId: string;
  parameters?: (Parameter & { $ref?: string })[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: Record<string, unknown>[];
  'x-switchboard-role'?: 'viewer' | 'editor' | 'admin';
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'delete', 'patch'];

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** The committed `openapi.json`, read synchronously so that Jest can make one test per operation. */
export function readCommittedSpec(): OpenApiDocument {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'openapi.json'), 'utf8')) as OpenApiDocument;
}

export function listOperations(spec: OpenApiDocument): Operation[] {
  return Object.entries(spec.paths).flatMap(([templatePath, item]) =>
    METHODS.filter((method) => item[method]).map((method) => toOperation(spec, method, templatePath, item[method])),
  );
}

function toOperation(spec: OpenApiDocument, method: HttpMethod, templatePath: string, raw: RawOperation): Operation {
  const bodySchema = raw.requestBody?.content?.['application/json']?.schema;
  return {
    method,
    path: templatePath,
    operationId: raw.operationId,
    parameters: (raw.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required ?? parameter.in === 'path',
      schema: resolveSchema(spec, parameter.schema ?? {}),
    })),
    body: bodySchema ? resolveSchema(spec, bodySchema) : undefined,
    responses: Object.keys(raw.responses).map(Number),
    isPublic: Array.isArray(raw.security) && raw.security.every((requirement) => Object.keys(requirement).length === 0),
    requiredRole: raw['x-switchboard-role'],
  };
}

/**
 * The schema with every `$ref` into components.schemas inlined and every `allOf` merged, so that
 * generators walk plain trees. Nest's swagger emits `allOf: [{$ref}]` for documented nested DTOs.
 */
export function resolveSchema(spec: OpenApiDocument, schema: JsonSchema, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nesting too deep: a recursive $ref?');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    const { $ref: _ref, ...rest } = schema;
    return resolveSchema(spec, { ...target, ...rest }, depth + 1);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    const merged = allOf.map((part) => resolveSchema(spec, part, depth + 1)).reduce((all, part) => ({ ...all, ...part }), {} as JsonSchema);
    return resolveSchema(spec, { ...merged, ...rest }, depth + 1);
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.properties) {
    resolved.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, resolveSchema(spec, property, depth + 1)]));
  }
  if (schema.items) resolved.items = resolveSchema(spec, schema.items, depth + 1);
  return resolved;
}

export const isHealthProbe = (operation: Operation): boolean => operation.path.startsWith('/health/');

/** The change stream never ends on its own: clients read only the head of its response. */
export const isEventStream = (operation: Operation): boolean => operation.path === '/api/config/stream';

export const label = (operation: Operation): string => `${operation.method.toUpperCase()} ${operation.path}`;

/** What a path or query parameter points at, when it names one of our rows. */
export type IdKind = 'profile' | 'genie_space' | 'token' | 'history' | 'session' | 'domain';

export function idKindOf(operation: Operation, parameterName: string): IdKind | undefined {
  if (parameterName === 'id' && operation.path.startsWith('/api/config/genie/')) return 'genie_space';
  if (parameterName === 'id' && operation.path.startsWith('/api/auth/tokens/')) return 'token';
  if (parameterName === 'name' && operation.path.startsWith('/api/config/domains/')) return 'domain';
  return idKindOfField(parameterName);
}

/** The same, for a field of a request body or a query parameter. */
export function idKindOfField(name: string): IdKind | undefined {
  if (name === 'id' || /(^|_)profile_id$/.test(name)) return 'profile';
  if (/(^|_)entry_id$/.test(name)) return 'history';
  if (/(^|_)session_id$/.test(name)) return 'session';
  return undefined;
}
