import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pipeline, type Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PayloadTooLargeError, UnprocessableError } from '../common/errors/domain-errors.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupEnd, type BackupHeader, CONTROL_PREFIX, type ControlLine } from './backup-format.js';

type ControlKind = '@table' | '@sequences' | '@end';
type ControlOf<K extends ControlKind> = Extract<ControlLine, Record<K, unknown>>[K];

/**
 * Reads a backup file line by line as it arrives (gunzip, then lines), checking its shape and
 * keeping the checksum of what it read. Every complaint names the line, and is a 422: the file is
 * the input. Memory holds one line at a time.
 */
export class BackupFile {
  private readonly lines: AsyncIterator<string>;
  private readonly checksum = createHash('sha256');
  private readonly source: Readable;
  private lineNumber = 0;
  private rowsRead = 0;

  constructor(source: Readable, maxBytes: number) {
    this.source = source;
    const gunzip = createGunzip();
    // A failure anywhere (too large, not gzip, cut short) destroys the chain and reaches the line iterator.
    pipeline(source, byteLimit(maxBytes), gunzip, () => undefined);
    this.lines = createInterface({ input: gunzip, crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  get line(): number {
    return this.lineNumber;
  }

  async header(): Promise<BackupHeader> {
    const text = await this.next();
    const header = text?.startsWith(CONTROL_PREFIX) ? (parse(text) as { '@header'?: BackupHeader })['@header'] : undefined;
    if (header?.format !== BACKUP_FORMAT) throw this.invalid('this is not a Switchboard backup (its first line is not a backup header)');
    if (header.format_version !== BACKUP_FORMAT_VERSION) {
      throw this.invalid(`the backup is in format version ${header.format_version}; this Switchboard reads version ${BACKUP_FORMAT_VERSION}`);
    }
    return header;
  }

  /** The next line, which must be a control line of this kind. */
  async control<K extends ControlKind>(kind: K): Promise<ControlOf<K>> {
    const text = await this.next();
    if (text === undefined) throw this.invalid(`the file ends early: expected ${kind}`);
    const value = text.startsWith(CONTROL_PREFIX) ? (parse(text) as Record<string, unknown>)[kind] : undefined;
    if (value === undefined) throw this.invalid(`expected ${kind}, found ${text.startsWith(CONTROL_PREFIX) ? 'another section' : 'a row'}`);
    return value as ControlOf<K>;
  }

  /** The next row of the current table, as the text row_to_json wrote. */
  async row(table: string): Promise<string> {
    const text = await this.next();
    if (text === undefined || text.startsWith(CONTROL_PREFIX)) throw this.invalid(`${table} holds fewer rows than its section says`);
    this.rowsRead++;
    return text;
  }

  /** The last line: the row count and checksum must match what was read, and nothing may follow. */
  async end(): Promise<BackupEnd> {
    const expected = this.checksum.digest('hex');
    const end = (await this.control('@end')) as BackupEnd;
    if (end.sha256 !== expected) throw this.invalid('the checksum does not match: the file was changed or damaged');
    if (end.rows !== this.rowsRead) throw this.invalid(`the file says ${end.rows} rows and holds ${this.rowsRead}`);
    if ((await this.lines.next()).done !== true) throw this.invalid('there is more after the end of the backup');
    return end;
  }

  invalid(message: string): UnprocessableError {
    return new UnprocessableError(`The backup cannot be restored: ${message} (line ${this.lineNumber}).`, [{ field: 'backup', message }]);
  }

  /** Stops reading (after a failure): the rest of the upload is not waited for. */
  close(): void {
    this.source.destroy();
  }

  private async next(): Promise<string | undefined> {
    let result: IteratorResult<string>;
    try {
      result = await this.lines.next();
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw this.invalid(code.startsWith('Z_') ? `it is not a complete gzip file (${(error as Error).message})` : (error as Error).message);
    }
    if (result.done) return undefined;
    this.lineNumber++;
    // The @end line is not part of its own checksum: digest() is taken before it is read.
    if (!result.value.startsWith('{"@end"')) this.checksum.update(`${result.value}\n`);
    return result.value;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(new PayloadTooLargeError(`The backup is larger than this server accepts (${maxBytes} bytes).`));
      done(null, chunk);
    },
  });
}
