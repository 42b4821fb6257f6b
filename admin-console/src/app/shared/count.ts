import { Pipe, PipeTransform } from '@angular/core';

/** "1 session", "2 sessions", "0 entries": a number with its noun, never "session(s)". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

@Pipe({ name: 'sbCount' })
export class SbCountPipe implements PipeTransform {
  transform(n: number, singular: string, plural?: string): string {
    return count(n, singular, plural);
  }
}
