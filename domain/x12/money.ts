// X12 decimal amounts to integer cents and back, exactly: no floating point ever touches money.

/** An amount of money in integer cents (same meaning as domain/clearinghouse's Cents). */
export type Cents = number;

// X12's R type: optional minus, digits, optional decimal point. No plus sign, no exponent, no spaces.
const AMOUNT = /^(-?)(\d*)(?:\.(\d*))?$/;

/**
 * "1922.86" → 192286, "-45.75" → -4575, ".5" → 50, "12" → 1200. Undefined when the text is not an amount or
 * carries a fraction of a cent ("1.234"); trailing zeros beyond cents ("1.500") are exact and accepted.
 */
export function parseCents(text: string): Cents | undefined {
  const m = AMOUNT.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = ''] = m;
  if (whole === '' && fraction === '') return undefined;
  if (/[1-9]/.test(fraction.slice(2))) return undefined;
  const cents = Number(whole || '0') * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return undefined;
  return sign === '-' && cents !== 0 ? -cents : cents;
}

/** 192286 → "1922.86", for messages and reports. */
export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Payers expect the shortest decimal: 10000 -> "100", 10050 -> "100.5", 10055 -> "100.55". */
export function formatX12Amount(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be an integer number of cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  if (frac % 10 === 0) return `${sign}${whole}.${frac / 10}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0')}`;
}
