import { envInteger } from '../common/config/env.js';

export interface DatabricksConfig {
  /** Workspace URL, e.g. `https://adb-123.4.azuredatabricks.net`: origin only, no trailing slash. */
  host?: string;
  token?: string;
  timeoutMs: number;
  /** Offered as serving endpoints when no workspace is configured to list them from. */
  fallbackEndpoints: string[];
}

export const DEFAULT_FALLBACK_ENDPOINTS = [
  'databricks-claude-sonnet-4-5',
  'databricks-claude-3-7-sonnet',
  'databricks-meta-llama-3-3-70b-instruct',
  'databricks-gpt-oss-120b',
];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function loadDatabricksConfig(env: NodeJS.ProcessEnv = process.env): DatabricksConfig {
  return {
    host: normaliseHost(env.DATABRICKS_HOST),
    token: env.DATABRICKS_TOKEN?.trim() || undefined,
    timeoutMs: envInteger(env, 'DATABRICKS_TIMEOUT_MS', 5000, { min: 1, unit: 'milliseconds' }),
    fallbackEndpoints: endpointList(env.SWITCHBOARD_FALLBACK_ENDPOINTS) ?? [...DEFAULT_FALLBACK_ENDPOINTS],
  };
}

/**
 * The token travels in every request, so only TLS is allowed — plain http only to this machine,
 * which is what the tests' local server needs. A bare host name means https, as in Databricks' CLI.
 */
function normaliseHost(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new Error(`DATABRICKS_HOST must be a URL such as https://<workspace>.cloud.databricks.com, got "${value}"`);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new Error(
      `DATABRICKS_HOST must use https:// (plain http is allowed only for 127.0.0.1 or localhost), got "${url.origin}"`,
    );
  }
  if (url.username || url.password) {
    throw new Error('DATABRICKS_HOST must not contain credentials: put the token in DATABRICKS_TOKEN');
  }
  if (!/^\/*$/.test(url.pathname)) {
    throw new Error(`DATABRICKS_HOST must be the workspace URL without a path, got "${url.origin}${url.pathname}"`);
  }
  return url.origin;
}

function endpointList(raw: string | undefined): string[] | undefined {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}
