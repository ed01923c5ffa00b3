// Running fast-check properties so that each one leaves a row in a printed report: how many inputs were tried,
// under which seed, how they were answered, and whether a (shrunk) counterexample was found. Test-only.
import fc from 'fast-check';

// FUZZ_SEED and FUZZ_RUNS_SCALE are the fuzz tests' own flags, not claimflow's configuration.
/** One seed for every property, printed with the report, so that a failure can be replayed exactly. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
/** FUZZ_RUNS_SCALE=5 runs every property five times as long, for a hunt outside the timed suite. */
export const RUN_SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

export interface Tally {
  /** inputs answered with a 4xx, or read into a positioned X12SyntaxError */
  refused: number;
  /** inputs answered with a 2xx, or read into a valid model */
  accepted: number;
}

export interface ReportRow extends Tally {
  property: string;
  runs: number;
  seed: number;
  /** shrunk counterexamples: 1 when the property failed (fast-check stops at the first), else 0 */
  counterexamples: number;
  shrinks: number;
  ms: number;
}

export interface Report {
  rows: ReportRow[];
  /**
   * Checks one property and records its row. `body` gets a tally to count outcomes into; outcomes are counted
   * only during the generated runs, not while fast-check shrinks a failure. Throws fast-check's own report
   * (seed, path, shrunk counterexample) when the property fails.
   */
  check<Ts extends [unknown, ...unknown[]]>(
    name: string,
    arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
    body: (tally: Tally, ...args: Ts) => Promise<void> | void,
    numRuns: number,
  ): Promise<ReportRow>;
  print(title: string): void;
}

export function createReport(): Report {
  const rows: ReportRow[] = [];
  return {
    rows,
    async check(name, arbs, body, numRuns) {
      // One tally per execution: those after the first failure are fast-check shrinking, not generated runs.
      const tallies: Tally[] = [];
      const started = Date.now();
      const run = async (...args: unknown[]) => {
        const tally: Tally = { refused: 0, accepted: 0 };
        tallies.push(tally);
        await body(tally, ...(args as never));
      };
      const property = fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<unknown>]), run);
      numRuns = Math.max(1, Math.round(numRuns * RUN_SCALE));
      const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, endOnFailure: false });
      const runs = Math.min(details.numRuns, numRuns);
      const generated = tallies.slice(0, runs);
      const row: ReportRow = {
        property: name,
        runs,
        seed: FUZZ_SEED,
        refused: generated.reduce((n, t) => n + t.refused, 0),
        accepted: generated.reduce((n, t) => n + t.accepted, 0),
        counterexamples: details.failed ? 1 : 0,
        shrinks: details.numShrinks,
        ms: Date.now() - started,
      };
      rows.push(row);
      if (details.failed) {
        const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`${name}: ${cause}\n${await fc.asyncDefaultReportMessage(details)}`);
      }
      return row;
    },
    print(title) {
      console.log(
        `\n${title} (seed ${FUZZ_SEED}; replay with FUZZ_SEED=${FUZZ_SEED}${RUN_SCALE !== 1 ? ` FUZZ_RUNS_SCALE=${RUN_SCALE}` : ''})`,
      );
      console.table(
        rows.map(({ property, runs, seed, refused, accepted, counterexamples, shrinks, ms }) => ({
          property,
          runs,
          seed,
          'refused (4xx / positioned error)': refused,
          'accepted (2xx / valid model)': accepted,
          'shrunk counterexamples': counterexamples,
          shrinks,
          ms,
        })),
      );
    },
  };
}
