import { preferredEncoding } from './encoded-json.js';

describe('preferredEncoding', () => {
  it('prefers br, then gzip, as the client accepts them', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(preferredEncoding('*')).toBe('gzip');
  });

  it('sends the body as it is when nothing fits', () => {
    expect(preferredEncoding(undefined)).toBeUndefined();
    expect(preferredEncoding('identity')).toBeUndefined();
    expect(preferredEncoding('deflate')).toBeUndefined();
    expect(preferredEncoding('br;q=0')).toBeUndefined();
  });

  it('answers a header it has parsed before, and one past those it remembers, as the first time', () => {
    const headers = Array.from({ length: 100 }, (_, i) => (i % 2 ? `gzip;q=0.${i % 9 + 1}, x-${i}` : `br;q=0, x-${i}`));
    const first = headers.map(preferredEncoding);
    expect(first.filter((encoding) => encoding === 'gzip')).toHaveLength(50);
    expect(first.filter((encoding) => encoding === undefined)).toHaveLength(50);
    expect(headers.map(preferredEncoding)).toEqual(first);
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
  });
});
