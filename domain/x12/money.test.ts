import { describe, expect, it } from 'vitest';
import { formatCents, parseCents } from './money';

describe('parseCents', () => {
  it.each([
    ['1922.86', 192286],
    ['-45.75', -4575],
    ['.5', 50],
    ['-.5', -50],
    ['12', 1200],
    ['0', 0],
    ['-0', 0],
    ['1.', 100],
    ['1.5', 150],
    ['0.01', 1],
    ['007.10', 710],
    ['1.500', 150],
    ['150000.00', 15000000],
    ['90071992547409.91', 9007199254740991],
  ])('reads %s as %i cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(['1.234', '0.001', '', '.', '-', '12x.5', '+5', ' 5', '5 ', '1,000.00', '1e3', '1.2.3', '--1', '90071992547409.92'])(
    'refuses %j',
    (text) => {
      expect(parseCents(text)).toBeUndefined();
    },
  );

  it('is exact where floating point is not', () => {
    // 0.1 + 0.2 !== 0.3 in floats; in cents it is.
    expect(parseCents('0.1')! + parseCents('0.2')!).toBe(parseCents('0.3'));
    expect(parseCents('1.15')).toBe(115); // Math.round(1.15 * 100) is 115 only by luck; 1.005*100 is 100.49999
    expect(parseCents('1.005')).toBeUndefined();
  });
});

describe('formatCents', () => {
  it.each([
    [192286, '1922.86'],
    [-4575, '-45.75'],
    [5, '0.05'],
    [0, '0.00'],
    [-1, '-0.01'],
  ])('%i → %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });
});
