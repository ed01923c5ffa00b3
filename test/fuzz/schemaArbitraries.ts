// Request bodies and query strings drawn from a route's own zod schema (through its JSON Schema), then damaged
// one field at a time: missing, wrong type, extra, huge, unicode, signed or fractional money, impossible dates,
// nested junk, SQL and HTML. Generated from the schema, so a new route or field is fuzzed without edits here.
import fc from 'fast-check';
import { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: Json[];
  const?: Json;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
};

export function inputJsonSchema(schema: z.ZodType): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Schema;
  return rest;
}

export const SQL_LIKE = [
  `'; DROP TABLE "Claim";--`,
  '1 OR 1=1',
  `' OR '1'='1`,
  `"; DELETE FROM "Patient" WHERE ''='`,
  `1); TRUNCATE "AuditEvent"; --`,
  `$1`,
  '\\x00',
  `Robert'); DROP TABLE "User";--`,
];
export const HTML_LIKE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  `javascript:alert('x')`,
  '{{constructor.constructor("alert(1)")()}}',
  '&lt;b&gt;&amp;',
  '</script><script>alert(document.cookie)</script>',
];
const UNICODE = [
  'Zoë Ångström',
  '山田太郎',
  'مرحبا',
  '👩‍⚕️💉',
  'e\u0301',
  '\u202eevil',
  '\ud800',
  '\u0000',
  'tab\there',
  'line\nbreak',
  '\uffff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
];

/** Values that should be real ids, drawn from what the database has so that some requests get past lookups. */
export type IdHints = Record<string, readonly string[]>;

/** A value meant to satisfy the schema (refinements the JSON Schema cannot say may still fail). */
export function valueArb(s: Schema, hints: IdHints = {}, name = ''): fc.Arbitrary<Json> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueArb(a, hints, name)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return objectArb(s, hints);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? 4, Math.max(min, 4));
      return fc.array(valueArb(s.items ?? {}, hints, name), { minLength: min, maxLength: max });
    }
    case 'integer': {
      const min = Math.max(s.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER);
      const max = Math.min(s.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: s.minimum, max: s.maximum });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      return stringArb(s, hints[name]);
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

function stringArb(s: Schema, hint: readonly string[] | undefined): fc.Arbitrary<Json> {
  // Calendar dates near today, not any string the date pattern allows: more bodies get past "not in the future".
  if (s.format === 'date') return dateArb;
  if (s.format === 'date-time') return dateArb.map((d) => `${d}T12:00:00Z`);
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern), { maxLength: 40 }).filter((v) => v.length <= (s.maxLength ?? Infinity));
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 40);
  const plain = fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) }).filter((v) => v.trim().length >= min);
  const kinds: fc.Arbitrary<string>[] = [plain, fc.constantFrom(...SQL_LIKE, ...HTML_LIKE)];
  if (hint && hint.length > 0) kinds.push(fc.constantFrom(...hint), fc.constantFrom(...hint));
  return fc.oneof(...kinds);
}

const dateArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function objectArb(s: Schema, hints: IdHints): fc.Arbitrary<Json> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const shape: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, ps] of Object.entries(props)) shape[key] = valueArb(ps, hints, key);
  const optional = Object.keys(props).filter((k) => !required.has(k));
  return fc.record(shape, { requiredKeys: [...required] as never[] }).map((v) => {
    // fc.record leaves optional keys out at random; keep them out when undefined.
    for (const k of optional) if ((v as Record<string, unknown>)[k] === undefined) delete (v as Record<string, unknown>)[k];
    return v as Json;
  });
}

// ---- damage ------------------------------------------------------------------------------------

export type Path = (string | number)[];

export type Damage =
  | { kind: 'remove'; path: Path }
  | { kind: 'replace'; what: string; path: Path; value: Json }
  | { kind: 'extra'; path: Path; key: string; value: Json }
  | { kind: 'whole-body'; what: string; value: Json };

/** Every place a value sits in a JSON value: object keys and array slots, nested. */
export function pathsOf(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...pathsOf(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...pathsOf(x, [...prefix, k]));
  return out;
}

/** Objects (where an extra key can go), the root included. */
function objectPaths(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = v && typeof v === 'object' && !Array.isArray(v) ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...objectPaths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...objectPaths(x, [...prefix, k]));
  return out;
}

const deep = (depth: number, leaf: Json): Json => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

/** Values that do not belong where they are put, named for the report. */
export const JUNK: fc.Arbitrary<[string, Json]> = fc.oneof(
  fc.constantFrom<[string, Json]>(
    ['null', null],
    ['true', true],
    ['zero', 0],
    ['empty string', ''],
    ['blank string', '   '],
    ['empty array', []],
    ['empty object', {}],
    ['negative money', -1],
    ['negative money', -2_147_483_648],
    ['fractional money', 10.5],
    ['fractional money', 0.001],
    ['huge number', 1e308],
    ['huge number', 2 ** 31],
    ['huge number', 2 ** 53 + 2],
    ['huge number', 99_999_999_999_999_999_999],
    ['minus zero', -0],
    ['number as string', '100'],
    ['impossible date', '2023-02-30'],
    ['impossible date', '2023-13-01'],
    ['impossible date', '0000-00-00'],
    ['impossible date', '2023-02-29'],
    ['impossible date', '99999-01-01'],
    ['impossible date', '2023-2-3'],
    ['date-time for date', '2024-02-29T25:61:00Z'],
    ['proto key object', JSON.parse('{"__proto__": {"admin": true}}') as Json],
    ['nested junk', deep(64, 'x')],
    ['nested junk', deep(2_000, 1)],
    ['array of junk', [null, 1, 'a', [], {}]],
  ),
  fc.constantFrom(...SQL_LIKE).map((s): [string, Json] => ['SQL-like', s]),
  fc.constantFrom(...HTML_LIKE).map((s): [string, Json] => ['HTML-like', s]),
  fc.constantFrom(...UNICODE).map((s): [string, Json] => ['unicode', s]),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s): [string, Json] => ['random unicode', s]),
  fc
    .integer({ min: 1_001, max: 300_000 })
    .chain((n) => fc.constantFrom('x', 'é', '💉', ' ', '\u0000').map((c): [string, Json] => ['huge string', c.repeat(n)])),
  fc.jsonValue({ maxDepth: 4 }).map((v): [string, Json] => ['random JSON', v as Json]),
);

const EXTRA_KEYS = [
  'extra',
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'createdAt',
  'role',
  'isAdmin',
  '$where',
  'a'.repeat(1_000),
  '\'; DROP TABLE "Claim";--',
  '<script>',
];

/** One damage to a value that (mostly) satisfies the schema. */
export function damageArb(body: Json): fc.Arbitrary<Damage> {
  const paths = pathsOf(body);
  const objects = objectPaths(body);
  const options: fc.Arbitrary<Damage>[] = [JUNK.map(([what, value]): Damage => ({ kind: 'whole-body', what, value }))];
  if (paths.length > 0) {
    options.push(
      fc.constantFrom(...paths).map((path): Damage => ({ kind: 'remove', path })),
      fc.tuple(fc.constantFrom(...paths), JUNK).map(([path, [what, value]]): Damage => ({ kind: 'replace', what, path, value })),
      fc.tuple(fc.constantFrom(...paths), JUNK).map(([path, [what, value]]): Damage => ({ kind: 'replace', what, path, value })),
    );
  }
  if (objects.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.constantFrom(...EXTRA_KEYS), JUNK)
        .map(([path, key, [, value]]): Damage => ({ kind: 'extra', path, key, value })),
    );
  }
  return fc.oneof(...options);
}

/** The damaged copy; the original is left alone. */
export function applyDamage(body: Json, d: Damage): Json {
  if (d.kind === 'whole-body') return d.value;
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const target = d.kind === 'extra' ? d.path : d.path.slice(0, -1);
  let at: Json = copy;
  for (const p of target) at = (at as Record<string, Json>)[p as string];
  if (d.kind === 'extra') {
    // defineProperty, so that "__proto__" becomes a key of the JSON and not the object's prototype.
    Object.defineProperty(at, d.key, { value: d.value, enumerable: true, writable: true, configurable: true });
  } else {
    const last = d.path[d.path.length - 1];
    if (d.kind === 'remove') {
      if (Array.isArray(at)) at.splice(last as number, 1);
      else delete (at as Record<string, Json>)[last as string];
    } else (at as Record<string | number, Json>)[last] = d.value;
  }
  return copy;
}

export function describeDamage(d: Damage): string {
  const where = d.kind === 'whole-body' ? 'body' : d.path.join('.') || 'body';
  const what =
    d.kind === 'replace' || d.kind === 'whole-body' ? d.what : d.kind === 'extra' ? `extra key ${d.key.slice(0, 30)}` : 'removed';
  return `${where}: ${what}`;
}
