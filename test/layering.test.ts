// docs/architecture.md drawn as a test: which top-level folder may import which, api/http imports no feature,
// and no import cycle anywhere. Reads the relative imports of every tracked source file; nothing is run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * What each folder may import besides itself. workflows/contract.ts and workflows/activities.ts are the contract
 * both sides of the Temporal boundary share: anyone may import those two (WORKFLOW_CONTRACT below).
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  domain: [],
  workflows: ['domain'],
  infra: ['domain'],
  activities: ['infra', 'domain'],
  worker: ['activities', 'infra', 'domain', 'workflows'],
  api: ['infra', 'domain', 'workflows'],
  simulator: ['domain'],
  app: ['api', 'worker', 'activities', 'infra', 'domain', 'workflows', 'simulator'],
  web: ['api'],
};
const WORKFLOW_CONTRACT = new Set(['workflows/contract.ts', 'workflows/activities.ts']);
/** Programs and checks of their own: they may import anything (and nothing of the product imports them). */
const FREE = new Set(['scripts', 'bench', 'test']);
/** Inside api/: the shared middleware imports no feature. */
const API_SHARED = 'api/http';

const EXTS = ['', '.ts', '.tsx', '.mts', '.mjs', '.cjs', '.js', '/index.ts'];
const IMPORT = /(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split(
    '\n',
  );
  return tracked.filter((f) => /\.(ts|tsx|mts|mjs|cjs)$/.test(f) && !f.endsWith('.d.mts') && fs.existsSync(path.join(ROOT, f)));
}

function importsOf(file: string, known: Set<string>): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const base = path.normalize(path.join(path.dirname(file), m[1]));
    const target = EXTS.map((e) => base + e).find((c) => known.has(c));
    if (target) out.push(target);
  }
  return out;
}

const top = (file: string) => file.split('/')[0];
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || /testSupport\.ts$/.test(file);

const files = sourceFiles();
const known = new Set(files);
const graph = new Map(files.map((f) => [f, importsOf(f, known)]));

describe('the layering in docs/architecture.md', () => {
  it('every import points down: a folder imports only what it may', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      const src = top(from);
      if (FREE.has(src) || isTest(from) || !(src in MAY_IMPORT)) continue;
      for (const to of targets) {
        const dst = top(to);
        if (dst === src || WORKFLOW_CONTRACT.has(to)) continue;
        if (!MAY_IMPORT[src].includes(dst)) wrong.push(`${from} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('api/http, the shared middleware, imports no feature of the API', () => {
    const wrong = [...graph]
      .filter(([from]) => from.startsWith(`${API_SHARED}/`) && !isTest(from))
      .flatMap(([from, targets]) =>
        targets.filter((t) => t.startsWith('api/') && !t.startsWith(`${API_SHARED}/`)).map((t) => `${from} -> ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('no import cycles', () => {
    // Tarjan's strongly connected components over the import graph: a component of more than one file is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('reads the imports it judges (the graph is not empty)', () => {
    expect(graph.get('api/app.ts')).toContain('api/inbound/router.ts');
    expect(graph.get('app/mainJob.ts')).toContain('api/app.ts');
  });
});
