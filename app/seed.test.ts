import { describe, expect, it } from 'vitest';
import { createClaimBody } from '../api/claims/schemas';
import { DEMO_CHARGES_CENTS, demoEncounter, PATIENT_IDS, PROVIDERS } from './seed';

/** The NPI check digit: Luhn over '80840' + the first nine digits (CMS NPI standard). */
function npiIsValid(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split('').map(Number);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i];
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** mulberry32: a small seeded generator so the demo is repeatable */
function seededRng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('demo reference data', () => {
  it('the Luhn check itself accepts the CMS example NPI and refuses a changed digit', () => {
    expect(npiIsValid('1234567893')).toBe(true);
    expect(npiIsValid('1234567894')).toBe(false);
  });

  it('every provider NPI passes the Luhn check with the 80840 prefix', () => {
    for (const p of PROVIDERS) expect(npiIsValid(p.npi), p.npi).toBe(true);
    expect(new Set(PROVIDERS.map((p) => p.npi)).size).toBe(PROVIDERS.length);
  });

  it('has 20 synthetic patients', () => {
    expect(PATIENT_IDS).toHaveLength(20);
    expect(new Set(PATIENT_IDS).size).toBe(20);
  });
});

describe('demoEncounter', () => {
  const rng = seededRng(42);
  const bodies = Array.from({ length: 200 }, (_, i) => demoEncounter(rng, i, new Date('2026-11-25T12:00:00Z')));

  it('builds bodies the create-claim endpoint accepts', () => {
    for (const body of bodies) expect(createClaimBody.safeParse(body).error?.issues).toBeUndefined();
  });

  it('dates services in the 30 days before today and cycles through every patient', () => {
    for (const body of bodies) {
      expect(body.dateOfService < '2026-11-25').toBe(true);
      expect(body.dateOfService >= '2026-10-26').toBe(true);
    }
    expect(new Set(bodies.map((b) => b.patientId))).toEqual(new Set(PATIENT_IDS));
  });

  it('bills an office visit first, priced from the fee schedule, with labs or an ECG only where the note says so', () => {
    for (const body of bodies) {
      expect(['99203', '99212', '99213', '99214', '99215']).toContain(body.lines[0].procedureCode);
      for (const line of body.lines) expect(line.chargeCents).toBe(DEMO_CHARGES_CENTS[line.procedureCode]);
      const codes = body.lines.map((l) => l.procedureCode);
      if (codes.includes('93000')) expect(body.documentation).toMatch(/ECG/);
      if (codes.includes('80053')) expect(body.documentation).toMatch(/metabolic panel/);
      if (codes.includes('36415')) expect(body.documentation).toMatch(/[Vv]enipuncture|drawn/);
      if (body.diagnoses?.includes('E11.9')) expect(body.documentation).toMatch(/type 2 diabetes/i);
    }
  });

  it('is repeatable for the same seed', () => {
    const again = seededRng(42);
    expect(demoEncounter(again, 0, new Date('2026-11-25T12:00:00Z'))).toEqual(bodies[0]);
  });
});
