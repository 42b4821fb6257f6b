import { formatDate } from '@angular/common';
import { Pipe, PipeTransform } from '@angular/core';

/** Every date the console shows, one way: local time, 24-hour, `2026-11-26 14:05:09`. */
export function formatWhen(value: string | Date): string {
  return formatDate(value, 'yyyy-MM-dd HH:mm:ss', 'en-US');
}

@Pipe({ name: 'sbWhen' })
export class SbWhenPipe implements PipeTransform {
  transform(value: string | Date | null | undefined): string {
    return value ? formatWhen(value) : '';
  }
}
