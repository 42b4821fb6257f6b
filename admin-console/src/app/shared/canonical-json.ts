/**
 * JSON with object keys sorted, and without what a form adds by merely showing a field: unset
 * (undefined) values and objects left empty. Undefined when nothing is left.
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item) ?? 'null').join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.keys(value)
    .sort()
    .flatMap((key) => {
      const text = canonicalJson((value as Record<string, unknown>)[key]);
      return text === undefined || text === '{}' ? [] : [`${JSON.stringify(key)}:${text}`];
    });
  return `{${entries.join(',')}}`;
}
