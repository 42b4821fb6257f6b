import { formatWhen, SbWhenPipe } from './when';

describe('formatWhen', () => {
  it('shows every date one way: local time, 24-hour', () => {
    expect(formatWhen(new Date(2026, 10, 26, 14, 5, 9))).toBe('2026-11-26 14:05:09');
    expect(new SbWhenPipe().transform(new Date(2026, 0, 2, 3, 4, 5).toISOString())).toBe('2026-01-02 03:04:05');
    expect(new SbWhenPipe().transform(null)).toBe('');
  });
});
