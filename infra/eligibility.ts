// One eligibility check of a claim's coverage on its date of service: a 270 out, the 271 read, the answer kept in
// EligibilityCheck. The lifecycle's activity and the API's on-demand check both come here, so the cache (one
// check per coverage and date) and the row are the same whoever asks.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client';
import type { Clearinghouse } from '../domain/clearinghouse';
import { write270 } from '../domain/x12/270';
import { eligibilityFromResponse, read271, type Eligibility } from '../domain/x12/271';
import { X12GenerationError } from '../domain/x12/generationError';
import { readTransactions } from '../domain/x12/reader';
import { X12SyntaxError } from '../domain/x12/syntaxError';
import type { EligibilityCheckResult } from '../workflows/activities';
import {
  envelopeFor,
  INQUIRY_CLAIM_INCLUDE,
  membersOf,
  nextControlNumbers,
  payerParty,
  providerParty,
  traceOriginator,
  type InquiryClaim,
  type InquiryIdentity,
} from './x12Parties';

export interface EligibilityDeps {
  prisma: PrismaClient;
  clearinghouse: Clearinghouse;
  identity: InquiryIdentity;
}

export interface EligibilityRequest {
  claimId: string;
  /** ask the payer even when a check of this coverage and date is on file */
  force: boolean;
  /** who asked: 'workflow' or a user id, kept on the row */
  actor: string;
}

/** The claim asked about does not exist. */
export class EligibilityClaimNotFound extends Error {
  constructor(readonly claimId: string) {
    super(`claim ${claimId} does not exist`);
    this.name = 'EligibilityClaimNotFound';
  }
}

/** The clearinghouse's answer is not a 271 we can read: a fault on its side, so the call is retried. */
export class EligibilityAnswerUnreadable extends Error {
  constructor(why: string) {
    super(`the clearinghouse's eligibility answer cannot be read: ${why}`);
    this.name = 'EligibilityAnswerUnreadable';
  }
}

// Rejections that say "ask again" are about the moment, not the coverage: never answered from the cache.
const NOT_CACHED_ADVICE = new Set(['resend', 'resend-later']);

export async function checkEligibility(deps: EligibilityDeps, request: EligibilityRequest): Promise<EligibilityCheckResult> {
  const { prisma } = deps;
  const claim = await prisma.claim.findUnique({ where: { id: request.claimId }, include: INQUIRY_CLAIM_INCLUDE });
  if (!claim) throw new EligibilityClaimNotFound(request.claimId);
  const dateOfService = claim.encounter.dateOfService;
  const fingerprint = coverageFingerprint(claim);

  const onFile = await prisma.eligibilityCheck.findUnique({
    where: { coverageId_dateOfService: { coverageId: claim.coverageId, dateOfService } },
  });
  if (!request.force && onFile && onFile.coverageFingerprint === fingerprint && !NOT_CACHED_ADVICE.has(onFile.advice ?? '')) {
    return resultOf(onFile, true);
  }

  const control = await nextControlNumbers(prisma);
  const members = membersOf(claim);
  const dos = dateOfService.toISOString().slice(0, 10);
  let x12: string;
  try {
    x12 = write270({
      ...envelopeFor(deps.identity, control, new Date()),
      reference: `EL${control.interchange}`,
      inquiries: [
        {
          payer: payerParty(claim),
          provider: providerParty(claim),
          ...members,
          trace: { type: '1', number: `EL${control.interchange}`, originator: traceOriginator(deps.identity) },
          serviceDate: { from: dos, to: dos },
          serviceTypes: ['30'],
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof X12GenerationError)) throw err;
    // The field, never the value: it may be a name or a member id.
    throw ApplicationFailure.nonRetryable(`claim ${claim.id} cannot be asked about in a 270: ${err.field} is not valid`, 'X12Generation', {
      field: err.field,
    });
  }
  const answer = await deps.clearinghouse.checkEligibility(x12);
  const { eligibility, responseControlNumber } = read(answer, claim.coverage.memberId);

  const data = {
    organizationId: claim.organizationId,
    status: eligibility.status,
    advice: eligibility.advice ?? null,
    plan: eligibility.plan,
    benefits: eligibility.benefits as object[],
    reasons: eligibility.reasons,
    coverageFingerprint: fingerprint,
    requestInterchangeNo: control.interchange,
    requestControlNumber: control.transaction,
    responseControlNumber,
    claimId: claim.id,
    checkedAt: new Date(),
    checkedBy: request.actor,
  };
  const row = await prisma.eligibilityCheck.upsert({
    where: { coverageId_dateOfService: { coverageId: claim.coverageId, dateOfService } },
    create: { coverageId: claim.coverageId, dateOfService, ...data },
    update: data,
  });
  return resultOf(row, false);
}

function read(text: string, memberId: string): { eligibility: Eligibility; responseControlNumber: string } {
  const { transactions, errors } = readTransactions(text);
  const t = transactions.find((x) => x.setId === '271');
  // Position and code only: an X12 error's reason may quote the value, and a 271 is full of member data.
  if (!t) throw new EligibilityAnswerUnreadable(errors[0] ? `segment ${errors[0].segmentIndex} (${errors[0].segmentId})` : 'no 271 in it');
  try {
    return { eligibility: eligibilityFromResponse(read271(t), memberId), responseControlNumber: t.controlNumber };
  } catch (err) {
    if (err instanceof X12SyntaxError) throw new EligibilityAnswerUnreadable(`segment ${err.segmentIndex} (${err.segmentId})`);
    throw err;
  }
}

/** What the payer was asked about: when any of it changes, the check on file no longer answers for the coverage. */
function coverageFingerprint(claim: InquiryClaim): string {
  const p = claim.patient;
  const parts = [
    claim.payer.electronicPayerId,
    claim.coverage.memberId.trim().toUpperCase(),
    claim.coverage.relationship,
    p.lastName.toUpperCase(),
    p.firstName.toUpperCase(),
    p.birthDate.toISOString().slice(0, 10),
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function resultOf(
  row: { id: string; status: string; reasons: string[]; advice: string | null; checkedAt: Date },
  cached: boolean,
): EligibilityCheckResult {
  return {
    checkId: row.id,
    status: row.status as EligibilityCheckResult['status'],
    reasons: row.reasons,
    ...(row.advice ? { advice: row.advice as NonNullable<EligibilityCheckResult['advice']> } : {}),
    cached,
    checkedAt: row.checkedAt.toISOString(),
  };
}
