import { StatusTally } from './fault-report.js';

/** Where the database is in its restart, as the test drives it ('down': stopped for sure). */
export type Phase = 'up' | 'stopping' | 'down' | 'restarting';

/** A request is labelled with its phase only when it was sent and answered within that phase. */
export type Label = Phase | 'transition';

export class PhaseClock {
  phase: Phase = 'up';
}

export interface ProbeAnswer {
  label: Label;
  status: number;
  contentType: string;
  body: string;
  /** performance.now() when the answer came. */
  at: number;
}

/** Answers of one kind of request, by label, for the report and the assertions. */
export class ProbeLog {
  readonly answers: ProbeAnswer[] = [];

  tally(label?: Label): StatusTally {
    const tally = new StatusTally();
    for (const answer of this.answers) if (label === undefined || answer.label === label) tally.add(answer.status);
    return tally;
  }

  /** A few of the given answers, readable in a failed expectation. */
  static brief(answers: ProbeAnswer[]): string[] {
    const shown = answers.slice(0, 5).map((answer) => `${answer.label} ${answer.status} ${answer.body.slice(0, 200)}`);
    return answers.length > shown.length ? [...shown, `… and ${answers.length - shown.length} more`] : shown;
  }

  byLabel(): Record<string, Record<string, number>> {
    const labels = [...new Set(this.answers.map((answer) => answer.label))];
    return Object.fromEntries(labels.map((label) => [label, this.tally(label).toJSON()]));
  }

  where(predicate: (answer: ProbeAnswer) => boolean): ProbeAnswer[] {
    return this.answers.filter(predicate);
  }
}

/**
 * Sends `request()` again and again (pausing `pauseMs` between) until `done()`, logging each
 * answer with the phase it belongs to; a request that gets no answer is logged as status 0.
 */
export async function probeLoop(clock: PhaseClock, log: ProbeLog, done: () => boolean, pauseMs: number, request: (n: number) => Promise<Response>): Promise<void> {
  for (let n = 0; !done(); n++) {
    const sentIn = clock.phase;
    let answer: Omit<ProbeAnswer, 'label' | 'at'>;
    try {
      const response = await request(n);
      answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    } catch (error) {
      answer = { status: 0, contentType: '', body: String(error) };
    }
    log.answers.push({ ...answer, label: sentIn === clock.phase ? sentIn : 'transition', at: performance.now() });
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
