// X12 read benchmark: a ~100 MB 835 read by our streaming reader (+ parse835 + balance835) and by node-x12,
// each in its own child process so that its peak RSS is its own. Run: npx tsx bench/x12-read.ts [--mb 100]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { readSegments, readSegmentsStream, readTransactionsStream } from '../domain/x12/reader';
import { balance835, parse835 } from '../domain/x12/835';
import { describeMachine } from './machine';

const SOURCE = fileURLToPath(new URL('../../shared/fixtures/x12/835/tastypackets-x12-parser__profee-multiple.edi', import.meta.url));
const MB = 1_000_000;
const CHUNK = 64 * 1024;
/** node-x12's parse() holds the whole object tree: the full size is tried, then these, until one fits. */
const NODE_X12_SMALLER_SIZES = [50, 25, 10];

interface Measurement {
  bytes: number;
  seconds: number;
  peakRssMb: number;
  result: string;
}

const machine = () => {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join('/');
  return `${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load ${load}`;
};

/**
 * An 835 of about `mb` MB: one ISA/GS around copies of the largest 835 fixture's transactions, every ST02/SE02
 * renumbered and the trailers counting right, so a strict reader accepts it.
 */
async function generate835(file: string, mb: number): Promise<{ bytes: number; transactions: number }> {
  const text = fs.readFileSync(SOURCE, 'utf8');
  const templates: string[][] = [];
  let current: string[] | undefined;
  for (const seg of readSegments(text)) {
    const raw = seg.elements.join('*');
    if (seg.id === 'ST') current = [];
    if (current) current.push(raw);
    if (seg.id === 'SE' && current) {
      templates.push(current);
      current = undefined;
    }
  }
  const out = fs.createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const isa13 = '000000001';
  await write(`ISA*00*          *00*          *ZZ*EMEDNYBAT      *ZZ*ETIN           *240101*1200*^*00501*${isa13}*0*P*:~\n`);
  await write('GS*HP*EMEDNYBAT*ETIN*20240101*1200*1*X*005010X221A1~\n');
  let bytes = 0;
  let count = 0;
  while (bytes < mb * MB) {
    const segs = templates[count % templates.length];
    count++;
    const control = String(count).padStart(9, '0');
    const body =
      segs.map((s, i) => (i === 0 ? `ST*835*${control}` : i === segs.length - 1 ? `SE*${segs.length}*${control}` : s)).join('~') + '~\n';
    bytes += Buffer.byteLength(body);
    await write(body);
  }
  await write(`GE*${count}*1~\nIEA*1*${isa13}~\n`);
  out.end();
  await once(out, 'finish');
  return { bytes: fs.statSync(file).size, transactions: count };
}

// ---- the measured cases, each run in a child process ----

async function oursSegments(file: string): Promise<string> {
  let segments = 0;
  let elements = 0;
  for await (const seg of readSegmentsStream(fs.createReadStream(file, { highWaterMark: CHUNK }))) {
    segments++;
    elements += seg.elements.length - 1;
  }
  return `${segments} segments, ${elements} elements`;
}

async function ours835(file: string): Promise<string> {
  let transactions = 0;
  let claims = 0;
  let paid = 0;
  let unbalanced = 0;
  let errors = 0;
  for await (const r of readTransactionsStream(fs.createReadStream(file, { highWaterMark: CHUNK }))) {
    if ('error' in r) {
      errors++;
      continue;
    }
    const remit = parse835(r.transaction);
    transactions++;
    claims += remit.claims.length;
    for (const c of remit.claims) paid += c.paid;
    if (!balance835(remit).balanced) unbalanced++;
  }
  return `${transactions} transactions, ${claims} claims, paid ${paid} cents, ${unbalanced} unbalanced, ${errors} errors`;
}

type NodeX12 = typeof import('node-x12');
const nodeX12 = (): NodeX12 => createRequire(import.meta.url)('node-x12') as NodeX12;

async function nodeX12Stream(file: string): Promise<string> {
  const { X12Parser } = nodeX12();
  const parser = new X12Parser();
  let segments = 0;
  let elements = 0;
  parser.on('data', (seg: { elements: unknown[] }) => {
    segments++;
    elements += seg.elements.length;
  });
  fs.createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
  await once(parser, 'end');
  return `${segments} segments, ${elements} elements, ${parser.diagnostics.length} diagnostics`;
}

async function nodeX12Parse(file: string): Promise<string> {
  const { X12Parser } = nodeX12();
  const interchange = new X12Parser(true).parse(fs.readFileSync(file, 'utf8'));
  const groups =
    'functionalGroups' in interchange ? interchange.functionalGroups : interchange.interchanges.flatMap((i) => i.functionalGroups);
  const transactions = groups.reduce((n, g) => n + g.transactions.length, 0);
  return `${transactions} transactions`;
}

/**
 * Both readers on every fixture: node-x12's parse() against our segments (ISA/IEA left out: node-x12 rewrites
 * ISA13/IEA02 through parseInt), and its stream fed 7-byte chunks.
 */
async function fixtureComparison(): Promise<string[]> {
  const { X12Parser } = nodeX12();
  const root = path.dirname(path.dirname(SOURCE));
  const files = fs.readdirSync(root).flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(d, f)));
  const differ: string[] = [];
  let same = 0;
  let streamed = 0;
  let expected = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    const ours = [...readSegments(text)].map((s) => s.elements.join('*'));
    expected += ours.length;
    let verdict: string;
    try {
      const parser = new X12Parser(false);
      const theirs = flattenNodeX12(parser.parse(text));
      const strip = (xs: string[]) => xs.filter((x) => !x.startsWith('ISA') && !x.startsWith('IEA'));
      verdict =
        JSON.stringify(strip(theirs)) === JSON.stringify(strip(ours))
          ? 'same'
          : `different segments (${parser.diagnostics.length} diagnostics)`;
    } catch (err) {
      verdict = `throws ${(err as Error).name}: ${(err as Error).message}`;
    }
    if (verdict === 'same') same++;
    else differ.push(`  ${f}: ${verdict}`);
    const stream = new X12Parser();
    stream.on('data', () => streamed++);
    const bytes = Buffer.from(text);
    Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })(),
    ).pipe(stream);
    await once(stream, 'end');
  }
  return [
    `node-x12 parse() on the ${files.length} fixtures: ${same} read as ours does; the others:`,
    ...differ,
    `node-x12 stream in 7-byte chunks over all fixtures: ${streamed} of ${expected} segments emitted (claimflow: ${expected})`,
  ];
}

function flattenNodeX12(parsed: any): string[] {
  const out: string[] = [];
  const seg = (s: any) => s && s.tag && out.push([s.tag, ...s.elements.map((e: { value: string }) => e.value)].join('*'));
  const interchange = (i: any) => {
    seg(i.header);
    for (const g of i.functionalGroups) {
      seg(g.header);
      for (const t of g.transactions) {
        seg(t.header);
        t.segments.forEach(seg);
        seg(t.trailer);
      }
      seg(g.trailer);
    }
    seg(i.trailer);
  };
  if (parsed.interchanges) parsed.interchanges.forEach(interchange);
  else interchange(parsed);
  return out;
}

/** Both streams over the same file, in lockstep (constant memory): how many segments node-x12 gets wrong. */
async function compareStreams(file: string): Promise<string> {
  const { X12Parser } = nodeX12();
  const parser = new X12Parser();
  fs.createReadStream(file, { highWaterMark: CHUNK }).pipe(parser);
  const theirs = parser[Symbol.asyncIterator]() as AsyncIterator<{ tag: string; elements: { value: string }[] }>;
  let compared = 0;
  let differ = 0;
  let example = '';
  for await (const seg of readSegmentsStream(fs.createReadStream(file, { highWaterMark: CHUNK }))) {
    const next = await theirs.next();
    if (next.done) break;
    compared++;
    // node-x12 rewrites ISA13 and IEA02 through parseInt (drops leading zeros): not counted as a difference.
    if (seg.id === 'ISA' || seg.id === 'IEA') continue;
    const text = [next.value.tag, ...next.value.elements.map((e) => e.value)].join('*');
    if (text !== seg.elements.join('*')) {
      differ++;
      example ||= `segment ${seg.index}: claimflow "${seg.elements.join('*')}", node-x12 "${text}"`;
    }
  }
  return `${differ} of ${compared} segments differ${example ? `; first: ${example}` : ''}`;
}

const CASES: Record<string, (file: string) => Promise<string>> = { oursSegments, ours835, nodeX12Stream, nodeX12Parse, compareStreams };

async function child(name: string, file: string): Promise<void> {
  const started = process.hrtime.bigint();
  const result = await CASES[name](file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m: Measurement = { bytes: fs.statSync(file).size, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, result };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function run(name: string, file: string): Measurement | { failed: string } {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--case', name, file], {
    encoding: 'utf8',
    maxBuffer: 64 * MB,
    timeout: 15 * 60_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && last.startsWith('{')) return JSON.parse(last) as Measurement;
  const message = r.stderr?.match(/(FATAL ERROR[^\n]*|RangeError[^\n]*|Error[^\n]*)/)?.[0]?.trim();
  const heap = `V8 heap limit ${(v8.getHeapStatistics().heap_size_limit / 2 ** 20).toFixed(0)} MiB`;
  return { failed: [message ?? `exit ${r.status}`, r.signal ? `killed by ${r.signal}` : '', heap].filter(Boolean).join(', ') };
}

function line(label: string, m: Measurement | { failed: string }): string {
  if ('failed' in m) return `${label.padEnd(44)} FAILED: ${m.failed}  [${machine()}]`;
  const mbps = m.bytes / MB / m.seconds;
  return `${label.padEnd(44)} ${(m.bytes / MB).toFixed(1).padStart(6)} MB in ${m.seconds.toFixed(2).padStart(6)} s = ${mbps.toFixed(1).padStart(6)} MB/s, peak RSS ${m.peakRssMb.toFixed(0).padStart(5)} MB  (${m.result})  [${machine()}]`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case') return child(args[1], args[2]);
  const mb = Number(args[args.indexOf('--mb') + 1] || 100) || 100;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-x12-bench-'));
  try {
    console.log(await describeMachine());
    for (const l of await fixtureComparison()) console.log(l);
    const file = path.join(dir, `remit-${mb}mb.835`);
    const made = await generate835(file, mb);
    console.log(
      `generated ${file}: ${(made.bytes / MB).toFixed(1)} MB, ${made.transactions} transactions (MB = 10^6 bytes, chunks of ${CHUNK / 1024} KiB)`,
    );
    console.log(line('claimflow readSegmentsStream', run('oursSegments', file)));
    console.log(line('claimflow readTransactionsStream+parse835', run('ours835', file)));
    console.log(line('node-x12 1.7.1 X12Parser stream (segments)', run('nodeX12Stream', file)));
    const compared = run('compareStreams', file);
    console.log(
      `node-x12 stream checked against claimflow, segment by segment: ${'failed' in compared ? `FAILED: ${compared.failed}` : compared.result}`,
    );
    for (const size of [mb, ...NODE_X12_SMALLER_SIZES.filter((s) => s < mb)]) {
      const sized = size === mb ? file : path.join(dir, `remit-${size}mb.835`);
      if (sized !== file) await generate835(sized, size);
      const m = run('nodeX12Parse', sized);
      console.log(line(`node-x12 1.7.1 X12Parser.parse, ${size} MB`, m));
      if (!('failed' in m)) break;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
