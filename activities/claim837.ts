// The 837P of one submission, built from the read model: patient, coverage (subscriber), payer, billing
// provider, encounter, lines and diagnoses. The file carries PHI to the clearinghouse, which is its job; it
// never goes into logs or Temporal payloads (the activity returns ids and control numbers only).
import type { Prisma } from '../generated/prisma/client';
import { claim837From, type X12Identity } from '../domain/x12/claim837From';
import { generate837P } from '../domain/x12/write837p';

const iso = (d: Date) => d.toISOString().slice(0, 10);

export type ClaimFor837 = Prisma.ClaimGetPayload<{
  include: {
    lines: true;
    diagnoses: true;
    payer: true;
    provider: true;
    encounter: true;
    patient: true;
    coverage: true;
    organization: true;
  };
}>;

export const CLAIM_837_INCLUDE = {
  lines: { orderBy: { lineNo: 'asc' } },
  diagnoses: { orderBy: { seq: 'asc' } },
  payer: true,
  provider: true,
  encounter: true,
  patient: true,
  coverage: true,
  organization: true,
} as const;

/** One 837P interchange for one claim: GS06 = ISA13, so a 999's AK1 finds the submission with its AK2 (ST02). */
export function render837(
  claim: ClaimFor837,
  id: X12Identity,
  submission: {
    frequencyCode: '1' | '7' | '8';
    originalPayerClaimControlNo?: string;
    interchangeControlNumber: number;
    transactionControlNumber: string;
  },
  now: Date,
): string {
  return generate837P({
    claims: [claim837From(claim, id, submission)],
    control: {
      interchangeControlNumber: submission.interchangeControlNumber,
      groupControlNumber: submission.interchangeControlNumber,
      transactionControlNumber: submission.transactionControlNumber,
    },
    sender: id.sender,
    receiver: id.receiver,
    now: { date: iso(now), time: now.toISOString().slice(11, 16).replace(':', '') },
    usage: id.usage,
  });
}
