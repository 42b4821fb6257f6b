/**
 * Reading settings from the environment. A value that is set but unusable stops the start with
 * the variable's name, rather than falling back silently.
 */

/** A whole number of at least `min` (0 or 1); unset or blank: the fallback. */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, options: { min: 0 | 1; unit?: string }): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < options.min) {
    const kind = options.min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new Error(`${name} must be ${kind}${options.unit ? ` (${options.unit})` : ''}, got "${raw}"`);
  }
  return value;
}

/** true/1 or false/0; unset or blank: false. */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}
