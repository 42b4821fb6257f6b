import cliProgress from 'cli-progress';
import type { BackupProgress } from '../backup/backup-format.js';
import { DomainError } from '../common/errors/domain-errors.js';

const { SingleBar, Presets } = cliProgress;

/** The exit codes every command uses (documented in the README and in --help). */
export const EXIT = { ok: 0, failed: 1, usage: 2, invalid: 3 } as const;

/** A failure a command reports with its own exit code and message (no stack). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * What a command prints: with --json, one JSON document on stdout and nothing else there; without,
 * lines for people. Progress goes to stderr either way, so `--json > file` stays a clean document.
 */
export class CliOutput {
  constructor(readonly json: boolean) {}

  progress(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  /**
   * Progress through `total` items: a bar on stderr when it is a terminal, else (a script, CI,
   * --json) one line per item, so that logs still show where a long run is.
   */
  steps(total: number, label: string): { next(item: string): void; done(): void } {
    if (!process.stderr.isTTY || total < 2) {
      let index = 0;
      return { next: (item) => total > 1 && this.progress(`${label} ${++index}/${total}: ${item}`), done: () => undefined };
    }
    const bar = new SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} {item}`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
    bar.start(total, 0, { item: '' });
    return { next: (item) => bar.increment(1, { item }), done: () => bar.stop() };
  }

  /**
   * Progress through the tables of a backup or restore, counted in rows: a bar on a terminal whose
   * total grows as each table announces its rows, else one line per table.
   */
  rows(label: string): BackupProgress & { done(): void } {
    if (!process.stderr.isTTY) {
      return { table: (name, rows) => this.progress(`${label} ${name}: ${rows} row(s)`), rows: () => undefined, done: () => undefined };
    }
    const bar = new SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} rows {item}`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
    let total = 0;
    bar.start(0, 0, { item: '' });
    return {
      table: (name, rows) => {
        bar.setTotal((total += rows));
        bar.update({ item: name });
      },
      rows: (count) => bar.increment(count),
      done: () => bar.stop(),
    };
  }

  /** The command's result: `data` as JSON, or `lines` (the last one a one-line summary). */
  result(data: unknown, lines: string[]): void {
    process.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : `${lines.join('\n')}\n`);
  }

  /** A failure, as `{error, exit_code, errors}` with --json, else a message and one line per field. */
  failure(error: unknown): number {
    const failure = toFailure(error);
    if (this.json) {
      process.stdout.write(`${JSON.stringify({ error: failure.message, exit_code: failure.exitCode, errors: failure.details }, null, 2)}\n`);
    } else {
      process.stderr.write(`switchboard: ${failure.message}\n${failure.details.map((detail) => `  ${detail.field}: ${detail.message}\n`).join('')}`);
    }
    return failure.exitCode;
  }
}

/** The server's own errors keep their meaning: 400/422 are invalid input (3), anything else a failure (1). */
function toFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof DomainError) {
    const invalid = error.status === 400 || error.status === 422;
    return new CliFailure(error.message, invalid ? EXIT.invalid : EXIT.failed, error.errors.map(({ field, message }) => ({ field, message })));
  }
  return new CliFailure(error instanceof Error ? error.message : String(error));
}
