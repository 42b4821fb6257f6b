import { describeExchange, excerpt } from './openapi-checks.js';
import { type HttpAnswer, type HttpCall, parseJson } from './openapi-http.js';

export interface FailureInput {
  /** `METHOD /templated/path`. */
  operation: string;
  /** What was wrong, in words that do not depend on the input, e.g. `answered 500`. */
  violation: string;
  /** Particulars of this occurrence (which problem fields were missing); not used for grouping. */
  details?: string;
  /** What was odd about the input (the fuzzer's mutation kinds, or the principal in the auth matrix). */
  input: string;
  call: HttpCall;
  answer?: HttpAnswer;
  /** What the in-process server logged while it handled the request (stack traces of 500s). */
  serverLog?: string;
}

interface Failure extends FailureInput {
  cause: string;
  seen: number;
  inputs: Map<string, number>;
}

/**
 * Every distinct failure of a run, each with the smallest reproduction seen. Failures are the same
 * when the operation, the violation, the status and the cause agree — the cause being the error the
 * server logged (`RangeError: Maximum call stack size exceeded`) or the `code`/`type` of the answer.
 * Which inputs led there is counted, not used to tell failures apart: a deep body with an odd query
 * parameter is the same bug as a deep body alone.
 */
export class FailureLog {
  private readonly failures = new Map<string, Failure>();

  record(input: FailureInput): void {
    const cause = causeOf(input);
    const key = [input.operation, input.violation, input.answer?.status ?? 'none', cause].join('|');
    const known = this.failures.get(key) ?? { ...input, cause, seen: 0, inputs: new Map() };
    this.failures.set(key, known);
    known.seen++;
    known.inputs.set(input.input, (known.inputs.get(input.input) ?? 0) + 1);
    if (known.seen > 1 && size(input.call) < size(known.call)) Object.assign(known, { call: input.call, answer: input.answer, serverLog: input.serverLog, details: input.details });
  }

  of(operation: string): Failure[] {
    return [...this.failures.values()].filter((failure) => failure.operation === operation);
  }

  get count(): number {
    return this.failures.size;
  }
}

/** The first `SomethingError: message` line a 500 logged, else the answer's code or problem type. */
function causeOf(input: FailureInput): string {
  const logged = input.serverLog?.match(/^\s*(\w*Error\b:?.*)$/m)?.[1];
  if (logged) return logged.trim();
  const body = parseJson(input.answer?.text ?? '') as { code?: unknown; type?: unknown } | undefined;
  return String(body?.code ?? body?.type ?? '');
}

const size = (call: HttpCall): number => call.path.length + (call.body === undefined ? 0 : Buffer.byteLength(call.body));

export function formatFailures(failures: Failure[], context: string): string {
  const blocks = failures.map((failure, index) => {
    const inputs = [...failure.inputs].map(([input, count]) => `${input} ×${count}`).join(' | ');
    const details = failure.details ? ` (${failure.details})` : '';
    const cause = failure.cause ? ` — ${failure.cause}` : '';
    const log = failure.serverLog?.trim() ? `\n      server log: ${excerpt(firstLines(failure.serverLog, 4), 500)}` : '';
    return `  ${index + 1}. ${failure.violation}${details}${cause}\n      seen ${failure.seen}×, inputs: ${inputs}\n      smallest: ${describeExchange(failure.call, failure.answer)}${log}`;
  });
  return `${failures.length} distinct failure(s) of ${failures[0]?.operation ?? ''} (${context}):\n${blocks.join('\n')}`;
}

const firstLines = (text: string, lines: number): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, lines)
    .join(' | ');
