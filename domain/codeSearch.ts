// Ranked ICD-10-CM suggestions for a note: the code descriptions that share the most (and the rarest)
// terms with the documentation. Pure: the caller supplies the code set.
//
// Terms are lower-cased words with a light plural stem. The note is first rewritten in the code set's
// vocabulary (HTN -> hypertension, "high blood pressure" -> hypertension, sugar -> diabetes, ...). Negated
// words become `no:` terms on both sides: "denies chest pain" never suggests chest pain, and "no esophagitis"
// matches "... without esophagitis". Normal or resolved findings in a note ("lungs clear", "a resolved cold")
// are dropped: there is nothing to code for them. Words in parentheses in a description are nonessential
// modifiers (ICD-10-CM convention) and so are generic words like "unspecified" or "site": they do not count
// against a description that the note does not mention them for. "Other" does count: an "other specified"
// code needs documentation that says what, so an unspecific note leans to "unspecified".

export interface CodeEntry {
  code: string;
  billable: boolean;
  description: string;
}

export interface Suggestion {
  code: string;
  description: string;
  matchedWords: string[];
  score: number;
}

const STOP = new Set([
  'and',
  'or',
  'of',
  'the',
  'with',
  'for',
  'in',
  'on',
  'to',
  'a',
  'an',
  'due',
  'by',
  'at',
  'is',
  'as',
  'are',
  'be',
  'patient',
  'pt',
  'visit',
  'follow',
  'up',
  'stable',
  'today',
  'has',
  'was',
  'his',
  'her',
  'from',
  'after',
  'since',
  'per',
  'this',
  'that',
  'it',
  'he',
  'she',
  'we',
  'continue',
  'continued',
  'start',
  'started',
  'given',
  'reviewed',
  'advised',
  'discussed',
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'year',
  'years',
  'yesterday',
  'mg',
  'daily',
  'prn',
  'well',
  'doing',
  'better',
  'current',
  'currently',
  'also',
  'still',
]);
/** words that say a code is unspecific: never matched, never counted against a description */
const GENERIC = new Set(['unspecified', 'specified', 'site', 'organism', 'cause', 'elsewhere', 'classified', 'nos']);
const NEGATE_BEFORE = new Set(['no', 'not', 'denies', 'denied', 'deny', 'without', 'never', 'negative for', 'free of', 'absence of']);
const NEGATE_AFTER = new Set(['negative', 'absent']);
/** findings in a note that say the words just before are normal or over ("lungs clear", "cold resolved"),
 * so nothing to code; not applied to descriptions */
const NOTE_NORMAL_FINDINGS = new Set(['clear', 'unremarkable', 'wnl', 'resolved']);
const END_SCOPE = new Set(['but', 'however', 'although', 'except', 'with']);
/** words a negation reaches in a note: "without" qualifies the diagnosis just named ("without aura"), and
 * "and" ends it ("without complications and hyperlipidemia"); "no"/"denies" cover a short list. In a
 * description a negation reaches the end of the clause ("without current pathological fracture"). */
const NOTE_SCOPE = { without: 2, other: 4 };
/** how far a candidate that only repeats already-explained terms drops (0: not at all, 1: to nothing) */
const DIVERSITY = 0.7;

/** Abbreviations common in notes, as ICD-10-CM words (whole words, case-insensitive). */
const ABBREVIATIONS: Record<string, string> = {
  htn: 'hypertension',
  hld: 'hyperlipidemia',
  dm: 'diabetes mellitus',
  dm1: 'type 1 diabetes mellitus',
  t1dm: 'type 1 diabetes mellitus',
  dm2: 'type 2 diabetes mellitus',
  t2dm: 'type 2 diabetes mellitus',
  niddm: 'type 2 diabetes mellitus',
  iddm: 'type 1 diabetes mellitus',
  gerd: 'gastro-esophageal reflux disease',
  copd: 'chronic obstructive pulmonary disease',
  chf: 'congestive heart failure',
  uri: 'acute upper respiratory infection',
  uti: 'urinary tract infection',
  ckd: 'chronic kidney disease',
  cad: 'coronary artery disease',
  afib: 'atrial fibrillation',
  'a-fib': 'atrial fibrillation',
  bph: 'benign prostatic hyperplasia',
  mdd: 'major depressive disorder',
  gad: 'generalized anxiety disorder',
  osa: 'obstructive sleep apnea',
  adhd: 'attention-deficit hyperactivity disorder',
  ibs: 'irritable bowel syndrome',
  oa: 'osteoarthritis',
  ra: 'rheumatoid arthritis',
  lbp: 'low back pain',
  sob: 'shortness of breath',
  mi: 'myocardial infarction',
  tia: 'transient cerebral ischemic attack',
  cva: 'cerebral infarction',
  pna: 'pneumonia',
  aom: 'acute otitis media',
  ptsd: 'post-traumatic stress disorder',
  dvt: 'deep vein thrombosis',
  afebrile: 'no fever',
  'n/v': 'nausea with vomiting',
  'w/o': 'without',
  'w/': 'with',
  hx: 'history',
  exam: 'examination',
};
/** Lay and clinical phrases rewritten in the code set's words (applied to the note only). */
const PHRASES: [RegExp, string][] = [
  [/\bhigh blood pressure\b/g, 'hypertension'],
  [/\b(?:high|elevated|raised) (?:blood )?sugars?\b/g, 'hyperglycemia'],
  [/\blow (?:blood )?sugars?\b/g, 'hypoglycemia'],
  [/\bsugar diabetes\b/g, 'diabetes'],
  [/\b(?:blood )?sugars?\b/g, 'diabetes'],
  [/\bhigh cholesterol\b/g, 'hypercholesterolemia'],
  [/\bpink eye\b/g, 'conjunctivitis'],
  [/\bheart attack\b/g, 'myocardial infarction'],
  [/\bstroke\b/g, 'cerebral infarction'],
  [/\bboth (eyes|ears|sides|knees|hips|hands|feet|legs|arms)\b/g, 'bilateral $1'],
];

const stem = (w: string) => (w.length > 4 && w.endsWith('s') && !/(ss|us|is|ys)$/.test(w) ? w.slice(0, -1) : w);

interface Term {
  term: string;
  /** false in parentheses (a nonessential modifier): may match, never counted as missing */
  essential: boolean;
  surface: string;
}

/** Terms of a text; `note` applies the abbreviation and phrase rewrites. */
export function terms(text: string, { note = false } = {}): Term[] {
  let t = ` ${text.toLowerCase()} `;
  if (note) {
    t = t.replace(/(^|[\s,.;:(])(n\/v|w\/o|w\/|a-fib)(?=[\s,.;:)])/g, (_m, pre: string, abbr: string) => `${pre}${ABBREVIATIONS[abbr]}`);
    t = t.replace(/\b[a-z][a-z0-9]*\b/g, (w) => ABBREVIATIONS[w] ?? w);
    for (const [pattern, replacement] of PHRASES) t = t.replace(pattern, replacement);
  }
  t = t.replace(/\btype (1|2|i|ii|one|two)\b/g, (_m, n: string) => `type${{ i: '1', one: '1', ii: '2', two: '2' }[n] ?? n}`);
  t = t.replace(/\b(negative for|free of|absence of)\b/g, (m) => m.replace(' ', '_'));

  const out: Term[] = [];
  // clauses end at punctuation; parentheses mark nonessential words
  for (const clause of t.split(/[.;:,!?\n]+/)) {
    let negated = 0;
    /** words still to drop after "resolved" */
    let over = 0;
    let narrow = false;
    let nonessential = false;
    const pending: Term[] = [];
    const tokens = clause.split(/(\(|\)|\s+)/).filter((raw) => raw.trim());
    for (const [k, raw] of tokens.entries()) {
      if (raw === '(') nonessential = true;
      else if (raw === ')') nonessential = false;
      const word = raw.replace(/_/g, ' ');
      if (note && NOTE_NORMAL_FINDINGS.has(word)) {
        // Said of the words before it ("lungs clear to auscultation") unless a word it describes follows
        // ("clear rhinorrhea", "a resolved cold": then only "resolved" says the next words are over).
        // Dropped, not negated: "no lung" would match "absence of lung".
        const next = tokens[k + 1]?.replace(/[^a-z0-9]+/g, '');
        if (next && !STOP.has(next)) {
          if (word === 'resolved') over = NOTE_SCOPE.without;
        } else pending.splice(-2);
        continue;
      }
      if (NEGATE_BEFORE.has(word)) {
        negated = !note ? Infinity : word === 'without' ? NOTE_SCOPE.without : NOTE_SCOPE.other;
        narrow = note && word === 'without';
        continue;
      }
      if (NEGATE_AFTER.has(word)) {
        // "strep negative": the words just before are negated
        for (const p of pending.slice(-2)) if (!p.term.startsWith('no:')) p.term = `no:${p.term}`;
        continue;
      }
      if (END_SCOPE.has(word) || (narrow && word === 'and')) negated = 0;
      for (const w of word.replace(/[^a-z0-9]+/g, ' ').split(' ')) {
        // single letters count ("vitamin d", "hepatitis b") except the article and possessive noise
        if (!w || w === 'a' || w === 'i' || w === 's' || STOP.has(w) || GENERIC.has(w)) continue;
        if (over > 0) {
          over--;
          continue;
        }
        const negative = negated > 0;
        if (negative) negated--;
        pending.push({ term: negative ? `no:${stem(w)}` : stem(w), essential: !nonessential, surface: w });
      }
    }
    out.push(...pending);
  }
  return out;
}

export function words(text: string): string[] {
  return terms(text, { note: true }).map((t) => t.term);
}

export interface CodeIndex {
  entries: CodeEntry[];
  byWord: Map<string, number[]>;
  byCode: Map<string, CodeEntry>;
  /** per entry: essential length (unmatched `no:` terms count half) and the set of essential terms */
  shape: { length: number; essential: Set<string> }[];
}

export function buildIndex(entries: CodeEntry[]): CodeIndex {
  const byWord = new Map<string, number[]>();
  const byCode = new Map<string, CodeEntry>();
  const shape: CodeIndex['shape'] = [];
  entries.forEach((e, i) => {
    byCode.set(e.code, e);
    const ts = terms(e.description);
    const essential = new Set(ts.filter((t) => t.essential).map((t) => t.term));
    shape.push({ length: [...essential].reduce((n, t) => n + (t.startsWith('no:') ? 0.5 : 1), 0), essential });
    for (const w of new Set(ts.map((t) => t.term))) {
      let list = byWord.get(w);
      if (!list) byWord.set(w, (list = []));
      list.push(i);
    }
  });
  return { entries, byWord, byCode, shape };
}

/**
 * Rare terms weigh more (idf; half for a description's nonessential words), and the score is scaled by how much of the description's essential terms the
 * note covers, so a short description matched fully ranks above a long one matched in part. Ties go to the
 * description with fewer terms, then to the shorter code.
 */
export function suggestCodes(index: CodeIndex, text: string, limit = 5): Suggestion[] {
  const noteTerms = terms(text, { note: true });
  const surface = new Map<string, string>();
  for (const t of noteTerms) if (!surface.has(t.term)) surface.set(t.term, t.term.startsWith('no:') ? `no ${t.surface}` : t.surface);
  const total = index.entries.length;
  const scores = new Map<number, { idf: number; matched: string[] }>();
  for (const w of surface.keys()) {
    const hits = index.byWord.get(w);
    if (!hits) continue;
    const idf = Math.log(1 + total / hits.length);
    for (const i of hits) {
      if (!index.entries[i].billable) continue;
      const s = scores.get(i) ?? { idf: 0, matched: [] };
      // a nonessential (parenthesised) word supports a description, but less than one it depends on
      s.idf += index.shape[i].essential.has(w) ? idf : idf / 2;
      s.matched.push(w);
      scores.set(i, s);
    }
  }
  const ranked = [...scores.entries()]
    .map(([i, s]) => {
      const { length, essential } = index.shape[i];
      const covered = s.matched.reduce((n, t) => n + (essential.has(t) ? (t.startsWith('no:') ? 0.5 : 1) : 0), 0);
      const coverage = length ? covered / length : 1;
      const e = index.entries[i];
      return { code: e.code, description: e.description, matched: s.matched, score: s.idf * coverage, length };
    })
    .sort((a, b) => b.score - a.score || a.length - b.length || a.code.length - b.code.length || a.code.localeCompare(b.code))
    .slice(0, Math.max(limit * 20, 100));

  // A note usually documents several conditions: after each pick, candidates that only repeat terms the
  // picks already explain drop back, so the next condition's code comes before a variant of the first.
  const idf = (t: string) => Math.log(1 + total / (index.byWord.get(t)?.length ?? total));
  const explained = new Set<string>();
  const picked: typeof ranked = [];
  while (picked.length < limit && ranked.length) {
    let best = 0;
    let bestScore = -1;
    ranked.forEach((c, k) => {
      const all = c.matched.reduce((n, t) => n + idf(t), 0);
      const fresh = c.matched.reduce((n, t) => n + (explained.has(t) ? 0 : idf(t)), 0);
      const adjusted = c.score * (1 - DIVERSITY + (DIVERSITY * fresh) / (all || 1));
      if (adjusted > bestScore) [best, bestScore] = [k, adjusted];
    });
    const [chosen] = ranked.splice(best, 1);
    chosen.matched.forEach((t) => explained.add(t));
    picked.push(chosen);
  }
  return picked.map((c) => ({
    code: c.code,
    description: c.description,
    matchedWords: c.matched.map((t) => surface.get(t)!),
    score: Math.round(c.score * 1000) / 1000,
  }));
}
