import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('compares values whatever their key order, ignoring what a form adds by showing a field', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: {}, b: undefined, c: { d: {} } })).toBe('{}');
    expect(canonicalJson({ a: null, b: false, c: 0, d: '' })).toBe('{"a":null,"b":false,"c":0,"d":""}');
    expect(canonicalJson({ list: [undefined] })).toBe('{"list":[null]}');
  });
});
