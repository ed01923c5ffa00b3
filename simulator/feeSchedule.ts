// The simulated payer's fee schedule: what it allows per unit of a procedure code.
// Amounts are invented but in the range of a commercial payer's schedule; CPT code numbers only,
// never their descriptions (AMA licence).
import type { Cents, SubmittedLine } from '../domain/clearinghouse';

export const FEE_SCHEDULE: Readonly<Record<string, Cents>> = {
  '99202': 7_300,
  '99203': 11_200,
  '99204': 16_800,
  '99205': 22_100,
  '99211': 2_400,
  '99212': 5_700,
  '99213': 9_200,
  '99214': 13_000,
  '99215': 18_300,
  '99283': 7_600,
  '99284': 12_300,
  '99285': 17_900,
  '36415': 300,
  '85025': 780,
  '80048': 830,
  '80053': 1_050,
  '80061': 1_330,
  '83036': 960,
  '81002': 350,
  '87880': 1_650,
  '84443': 1_690,
  '93000': 1_700,
  '71045': 2_300,
  '71046': 2_800,
  '73030': 2_900,
  '20610': 6_100,
  '97110': 2_900,
  '90471': 1_700,
  '96372': 1_500,
  G0008: 2_100,
  J1100: 40,
};

/** Share of the charge allowed for a code the schedule does not list. */
export const UNLISTED_ALLOWED_PERCENT = 60;

/** The allowed amount for one line: schedule rate times units, never more than what was charged. */
export function allowedCents(line: Pick<SubmittedLine, 'procedureCode' | 'units' | 'chargeCents'>): Cents {
  const perUnit = FEE_SCHEDULE[line.procedureCode];
  const allowed =
    perUnit === undefined ? Math.round((line.chargeCents * UNLISTED_ALLOWED_PERCENT) / 100) : Math.round(perUnit * line.units);
  return Math.max(0, Math.min(line.chargeCents, allowed));
}
