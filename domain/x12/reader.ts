// The X12 reader: segments and envelope-checked transactions from a string or a stream of chunks.
import { X12SyntaxError } from './syntaxError';
import { SegmentScanner, type Segment } from './scanner';
import { EnvelopeReader, type ReadOptions, type ReadResult, type Transaction } from './envelope';
import type { Delimiters } from './delimiters';

export { X12SyntaxError, type X12ErrorCode } from './syntaxError';
export { components, detectDelimiters, type Delimiters } from './delimiters';
export type { Segment } from './scanner';
export type { GroupInfo, InterchangeInfo, ReadOptions, ReadResult, Transaction } from './envelope';

/**
 * Every segment of the text, in order. Separators come from each ISA (or the first segment of a bare
 * ST..SE file) unless `d` is given. Throws X12SyntaxError when an ISA's separators cannot be read.
 */
export function* readSegments(text: string, d?: Delimiters): Generator<Segment> {
  const scanner = new SegmentScanner(d);
  scanner.feed(text);
  yield* scanner.drain(true);
}

/** The same segments as readSegments, from chunks (a file stream), holding one chunk at a time. */
export async function* readSegmentsStream(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<Segment> {
  const scanner = new SegmentScanner();
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    scanner.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* scanner.drain(false);
  }
  scanner.feed(decoder.decode());
  yield* scanner.drain(true);
}

/**
 * Every transaction whose envelope checks out, and an error for each problem found. A bad transaction is
 * left out with its errors; the good ones around it are still returned.
 */
export function readTransactions(text: string, options?: ReadOptions): { transactions: Transaction[]; errors: X12SyntaxError[] } {
  const transactions: Transaction[] = [];
  const errors: X12SyntaxError[] = [];
  const envelope = new EnvelopeReader((r) => ('transaction' in r ? transactions.push(r.transaction) : errors.push(r.error)), options);
  const scanner = new SegmentScanner();
  scanner.feed(text);
  try {
    for (const seg of scanner.drain(true)) envelope.push(seg, scanner.delimiters as Delimiters);
    envelope.end();
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    errors.push(err); // unreadable separators: nothing after this point can be cut into segments
  }
  return { transactions, errors };
}

/**
 * readTransactions over a stream: each transaction is yielded as soon as its SE checks out, so memory holds
 * one chunk and one transaction, whatever the file's size.
 */
export async function* readTransactionsStream(
  chunks: AsyncIterable<string | Uint8Array>,
  options?: ReadOptions,
): AsyncGenerator<ReadResult> {
  const ready: ReadResult[] = [];
  const envelope = new EnvelopeReader((r) => ready.push(r), options);
  const scanner = new SegmentScanner();
  const decoder = new TextDecoder();
  try {
    for await (const chunk of chunks) {
      scanner.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      for (const seg of scanner.drain(false)) {
        envelope.push(seg, scanner.delimiters as Delimiters);
        if (ready.length > 0) yield* ready.splice(0);
      }
    }
    scanner.feed(decoder.decode());
    for (const seg of scanner.drain(true)) {
      envelope.push(seg, scanner.delimiters as Delimiters);
      if (ready.length > 0) yield* ready.splice(0);
    }
    envelope.end();
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    ready.push({ error: err });
  }
  yield* ready.splice(0);
}
