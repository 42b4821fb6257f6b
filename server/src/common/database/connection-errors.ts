import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** The database cannot be reached (refused, reset, shutting down), as opposed to refusing a query. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code ?? (error as { driverError?: { code?: unknown } })?.driverError?.code;
  if (typeof code === 'string' && (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03'].includes(code) || code.startsWith('08'))) {
    return true;
  }
  // TypeORM releases a transaction's query runner when its connection dies under it; the
  // transaction's next query then fails with this instead of a connection error.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  // node-postgres reports a connection that ended, or could not be made in time, without a code.
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
}

/**
 * pg-pool's answer when no connection came in time: either a connection could not be opened
 * (the database is away) or every connection stayed in use (busy); the pool's state tells which.
 */
export function isPoolWaitTimeout(error: unknown): boolean {
  return (error as { message?: unknown })?.message === 'timeout exceeded when trying to connect';
}
