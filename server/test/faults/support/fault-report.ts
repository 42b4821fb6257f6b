/**
 * What a fault suite measured, printed as one line per suite so that CI's log carries the counts
 * (requests tried, statuses seen, events lost): `[faults] <suite>: key=value …`.
 */
export function reportFaults(suite: string, figures: Record<string, unknown>): void {
  const parts = Object.entries(figures).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  // Straight to stdout: Jest's console wraps each line in a stack trace.
  process.stdout.write(`[faults] ${suite}: ${parts.join(' ')}\n`);
}

/** Counts statuses as `{ "200": 12, "400": 3 }`. */
export class StatusTally {
  private readonly counts = new Map<number, number>();

  add(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  count(predicate: (status: number) => boolean): number {
    return [...this.counts].filter(([status]) => predicate(status)).reduce((sum, [, count]) => sum + count, 0);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a - b).map(([status, count]) => [String(status), count]));
  }
}
