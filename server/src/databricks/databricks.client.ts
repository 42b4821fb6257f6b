import { Injectable } from '@nestjs/common';
import type { DatabricksConfig } from './databricks.config.js';
import { DatabricksNotConfiguredError, DatabricksTimeoutError, DatabricksUpstreamError } from './databricks.errors.js';

export interface ServingEndpointList {
  endpoints: string[];
  /** `fallback`: Databricks is not configured, these names come from SWITCHBOARD_FALLBACK_ENDPOINTS. */
  source: 'workspace' | 'fallback';
}

export interface GenieSpaceInfo {
  space_id: string;
  title: string;
  description?: string;
}

export interface ExperimentInfo {
  experiment_id: string;
  name: string;
}

type JsonObject = Record<string, unknown>;

/** A parsed 2xx body, with the status to report should its shape be wrong. */
interface UpstreamBody {
  status: number;
  body: JsonObject;
}

/**
 * The Databricks REST API, read-only. Every failure leaves as a DomainError (502/503/504), never
 * as a plain Error, and no message carries the token.
 */
@Injectable()
export class DatabricksClient {
  constructor(private readonly config: DatabricksConfig) {}

  isConfigured(): boolean {
    return Boolean(this.config.host && this.config.token);
  }

  async listServingEndpoints(): Promise<ServingEndpointList> {
    if (!this.isConfigured()) {
      return { endpoints: sortEndpointNames(this.config.fallbackEndpoints), source: 'fallback' };
    }
    const action = 'listing serving endpoints';
    const { status, body } = (await this.get('/api/2.0/serving-endpoints', action, false))!;
    // A workspace without endpoints answers `{}`.
    const endpoints = body.endpoints ?? [];
    if (!Array.isArray(endpoints)) throw DatabricksUpstreamError.malformed(status, action, '"endpoints" is not a list');
    const names = endpoints.map((endpoint: unknown) => (isObject(endpoint) ? endpoint.name : undefined));
    if (!names.every(isNonEmptyString)) {
      throw DatabricksUpstreamError.malformed(status, action, 'an endpoint has no name');
    }
    return { endpoints: sortEndpointNames(names), source: 'workspace' };
  }

  /** null: Databricks has no such space (404). */
  async getGenieSpace(spaceId: string): Promise<GenieSpaceInfo | null> {
    const action = `reading Genie space ${spaceId}`;
    const answer = await this.get(`/api/2.0/genie/spaces/${encodeURIComponent(spaceId)}`, action, true);
    if (!answer) return null;
    const { status, body } = answer;
    const description = body.description ?? undefined;
    if (!isNonEmptyString(body.space_id) || typeof body.title !== 'string' || !isOptionalString(description)) {
      throw DatabricksUpstreamError.malformed(status, action, 'expected space_id, title and description');
    }
    return { space_id: body.space_id, title: body.title, ...(description === undefined ? {} : { description }) };
  }

  async getExperimentByName(name: string): Promise<ExperimentInfo | null> {
    const action = `reading MLflow experiment ${name}`;
    const query = new URLSearchParams({ experiment_name: name });
    const answer = await this.get(`/api/2.0/mlflow/experiments/get-by-name?${query}`, action, true);
    if (!answer) return null;
    const experiment = answer.body.experiment;
    if (!isObject(experiment) || !isNonEmptyString(experiment.experiment_id) || typeof experiment.name !== 'string') {
      throw DatabricksUpstreamError.malformed(answer.status, action, 'expected experiment.experiment_id and experiment.name');
    }
    return { experiment_id: experiment.experiment_id, name: experiment.name };
  }

  /** GET a JSON object; null for a 404 when `notFoundIsNull`. */
  private async get(path: string, action: string, notFoundIsNull: boolean): Promise<UpstreamBody | null> {
    const { host, token, timeoutMs } = this.config;
    if (!host || !token) {
      throw new DatabricksNotConfiguredError([!host && 'DATABRICKS_HOST', !token && 'DATABRICKS_TOKEN'].filter(isNonEmptyString));
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${host}${path}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        // Following a redirect would carry the token to wherever it points: report it instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw transportError(error, host, timeoutMs, action);
    }
    const { status } = response;
    if (status === 404 && notFoundIsNull) return null;
    if (status === 401 || status === 403) throw DatabricksUpstreamError.rejectedToken(status, action);
    if (status < 200 || status > 299) throw DatabricksUpstreamError.failed(status, action, errorCode(text));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw DatabricksUpstreamError.malformed(status, action, 'the body is not JSON');
    }
    if (!isObject(body)) throw DatabricksUpstreamError.malformed(status, action, 'the body is not a JSON object');
    return { status, body };
  }
}

/** Databricks' own foundation-model endpoints (`databricks-…`) first, then the rest; each alphabetical. */
export function sortEndpointNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const alphabetical = (a: string, b: string) => a.localeCompare(b, 'en');
  const own = unique.filter((name) => name.startsWith('databricks-')).sort(alphabetical);
  const others = unique.filter((name) => !name.startsWith('databricks-')).sort(alphabetical);
  return [...own, ...others];
}

/**
 * Only the error's name and its cause's code are used: fetch's messages can quote header values
 * (an invalid one is echoed back), and the Authorization header holds the token.
 */
function transportError(error: unknown, host: string, timeoutMs: number, action: string): Error {
  if ((error as { name?: unknown })?.name === 'TimeoutError') return new DatabricksTimeoutError(timeoutMs, action);
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  const reason = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'network error';
  return DatabricksUpstreamError.unreachable(host, action, reason);
}

/** Databricks' `error_code` (e.g. `RESOURCE_DOES_NOT_EXIST`) when the body has a plausible one. */
function errorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error_code?: unknown })?.error_code;
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}
