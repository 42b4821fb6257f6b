import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino, type LevelWithSilent } from 'pino';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Anything that could carry a credential, wherever it appears in a logged object. Messages are
 * written by our own code, which never puts a token or a secret in one (a test checks the output).
 */
const REDACT = ['authorization', '*.authorization', 'token', '*.token', 'secret', '*.secret', 'password', '*.password', 'headers.cookie', '*.headers.cookie'];

/**
 * The service's logger: pino, one JSON object per line (time, level, msg, context, and for
 * requests req_id, method, route, status, duration_ms, principal), or, when stdout is a terminal,
 * the same as readable lines. SWITCHBOARD_LOG_FORMAT=json|pretty forces one; SWITCHBOARD_LOG_LEVEL
 * (fatal … trace, default info) filters.
 */
export function createAppLogger(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Pino {
  const requested = env.SWITCHBOARD_LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LEVELS.includes(requested as LevelWithSilent)) throw new Error(`SWITCHBOARD_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${requested}")`);
  const format = env.SWITCHBOARD_LOG_FORMAT?.trim().toLowerCase() || (out.isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new Error(`SWITCHBOARD_LOG_FORMAT must be json or pretty (got "${format}")`);
  const destination = format === 'pretty' ? { write: (line: string) => out.write(pretty(line)) } : out === process.stdout ? asyncStdout() : out;
  return pino({ level: requested, base: undefined, redact: { paths: REDACT, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * Standard output written without blocking: Node writes to a pipe synchronously, one system call
 * per line, which cost a write ~0.2 ms of the request's thread under load. Lines written while one
 * write is in flight go out together in the next. pino writes what is left when the process exits
 * (normally, by process.exit or on an uncaught error); a SIGKILL loses what is waiting. When the
 * reader of stdout stalls, at most 16 MiB wait: later lines are dropped rather than memory growing.
 */
function asyncStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 });
}

/** Nest's start-up listing of modules and routes: useful when debugging, noise otherwise. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's own messages (and every `new Logger(context)`) through pino, the context as a field. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Pino) {}

  log(message: unknown, context?: string): void {
    this.write(context && CHATTY_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context), or (message, context) when there is no stack.
    const [stack, ctx] = context === undefined && traceOrContext && !traceOrContext.includes('\n') ? [undefined, traceOrContext] : [traceOrContext, context];
    this.logger.error({ context: ctx, ...(stack && { stack }) }, text(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string): void {
    this.logger[level]({ context }, text(message));
  }
}

function text(message: unknown): string {
  return typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message);
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One JSON line as `12:00:01.234 INFO  [Context] message  key=value …` for a person at a terminal. */
function pretty(line: string): string {
  const { time, level, msg, context, stack, ...fields } = JSON.parse(line) as Record<string, unknown>;
  const rest = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  return `${clock} ${(LEVEL_NAMES[level as number] ?? String(level)).padEnd(5)} ${context ? `[${String(context)}] ` : ''}${String(msg ?? '')}${rest ? `  ${rest}` : ''}\n${stack ? `${String(stack)}\n` : ''}`;
}
