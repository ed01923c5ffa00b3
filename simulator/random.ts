// Seeded randomness for the simulator: every outcome is a pure function of (seed, claim, purpose),
// so two runs with one seed behave the same whatever order requests arrive in. Never Math.random.

/** cyrb53: a fast 53-bit string hash, good enough to seed a PRNG and to mint ids that do not collide in practice. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export type Rng = () => number;

/** mulberry32: tiny, fast, and plenty for picking scenarios and delays. Returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator dedicated to one decision, so adding a new decision never shifts the others. */
export function rngFor(seed: number, ...parts: Array<string | number>): Rng {
  return mulberry32(hash53([seed, ...parts].join('|')) % 4294967296);
}

export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

/** Integer in [min, max], both ends included. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pickOne<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export function pickWeighted<K extends string>(rng: Rng, weights: Record<K, number>): K {
  const entries = (Object.entries(weights) as Array<[K, number]>).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (entries.length === 0 || total <= 0) throw new Error('pickWeighted: no positive weight');
  let r = rng() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  return entries[entries.length - 1][0];
}

/** A deterministic id of `digits` decimal digits (no leading zero), e.g. for trace and control numbers. */
export function numericId(digits: number, ...parts: Array<string | number>): string {
  const h = hash53(parts.join('|')).toString().padStart(16, '0');
  const body = (h + hash53(`${h}|more`).toString().padStart(16, '0')).slice(0, digits - 1);
  return `${1 + (hash53(`${h}|lead`) % 9)}${body}`;
}

/** A deterministic short alphanumeric id, e.g. for clearinghouse references. */
export function alphaId(...parts: Array<string | number>): string {
  return hash53(parts.join('|')).toString(36).toUpperCase().padStart(11, '0');
}
