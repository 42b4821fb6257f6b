type Write = typeof process.stdout.write;

/**
 * Runs `work` while holding back what the in-process app writes to stdout and stderr (Nest's logger
 * prints a stack trace for every 500), and returns that text: a failure report carries the cause
 * of its 500 instead of the test log drowning in hundreds of them.
 */
export async function capturingServerLog<T>(work: () => Promise<T>): Promise<{ result: T; log: string }> {
  let log = '';
  const capture = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as Write;
  const saved = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const result = await work();
    return { result, log: stripAnsi(log) };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
