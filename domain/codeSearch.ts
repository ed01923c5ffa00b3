// Ranked ICD-10-CM suggestions for a note: the code descriptions that share the most (and the rarest)
// words with the documentation. Pure: the caller supplies the code set.

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

const STOP = new Set(['and', 'or', 'of', 'the', 'with', 'without', 'for', 'in', 'on', 'to', 'a', 'an', 'due', 'by', 'at',
  'is', 'not', 'other', 'unspecified', 'as', 'patient', 'pt', 'visit', 'follow', 'up', 'stable', 'today', 'no', 'has', 'was']);

export function words(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter((w) => w.length > 1 && !STOP.has(w));
}

export interface CodeIndex {
  entries: CodeEntry[];
  byWord: Map<string, number[]>;
  byCode: Map<string, CodeEntry>;
}

export function buildIndex(entries: CodeEntry[]): CodeIndex {
  const byWord = new Map<string, number[]>();
  const byCode = new Map<string, CodeEntry>();
  entries.forEach((e, i) => {
    byCode.set(e.code, e);
    for (const w of new Set(words(e.description))) {
      let list = byWord.get(w);
      if (!list) byWord.set(w, (list = []));
      list.push(i);
    }
  });
  return { entries, byWord, byCode };
}

/** Rare words weigh more (idf); shorter descriptions that match fully rank above long partial ones. */
export function suggestCodes(index: CodeIndex, text: string, limit = 5): Suggestion[] {
  const query = [...new Set(words(text))];
  const total = index.entries.length;
  const scores = new Map<number, { score: number; matched: string[] }>();
  for (const w of query) {
    const hits = index.byWord.get(w);
    if (!hits) continue;
    const idf = Math.log(1 + total / hits.length);
    for (const i of hits) {
      if (!index.entries[i].billable) continue;
      const s = scores.get(i) ?? { score: 0, matched: [] };
      s.score += idf;
      s.matched.push(w);
      scores.set(i, s);
    }
  }
  return [...scores.entries()]
    .map(([i, s]) => {
      const e = index.entries[i];
      const length = words(e.description).length;
      return { code: e.code, description: e.description, matchedWords: s.matched, score: s.score * (s.matched.length / length) };
    })
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))
    .slice(0, limit)
    .map((s) => ({ ...s, score: Math.round(s.score * 1000) / 1000 }));
}
