// The follow-up's status inquiry in X12: a 276 about one claim out, the 277 read into the StatusAnswer the lifecycle
// acts on, with the 277's follow-up kind (pending, finalized-paid, finalized-denied, rejected, not-found, ...).
import { ApplicationFailure } from '@temporalio/activity';
import type { PrismaClient } from '../generated/prisma/client';
import type { Clearinghouse, StatusAnswer, StatusCategory } from '../domain/clearinghouse';
import { write276 } from '../domain/x12/276';
import { claimStatusFromResponse, currentReport, read277 } from '../domain/x12/277';
import { X12GenerationError } from '../domain/x12/generationError';
import { readTransactions } from '../domain/x12/reader';
import type { ClaimStatusKind } from '../domain/x12/statusCodes';
import { X12SyntaxError } from '../domain/x12/syntaxError';
import {
  envelopeFor,
  membersOf,
  nextControlNumbers,
  payerParty,
  providerParty,
  type InquiryClaim,
  type InquiryIdentity,
} from '../infra/x12Parties';
import type { X12Identity } from '../domain/x12/claim837From';

const CATEGORY_OF: Readonly<Record<ClaimStatusKind, StatusCategory>> = {
  acknowledged: 'PENDING',
  pending: 'PENDING',
  'information-requested': 'PENDING',
  'finalized-paid': 'FINALIZED',
  'finalized-denied': 'FINALIZED',
  'finalized-unpaid': 'FINALIZED',
  finalized: 'FINALIZED',
  rejected: 'REJECTED',
  'not-found': 'NOT_FOUND',
  'inquiry-error': 'PENDING',
  'retry-later': 'PENDING',
  unknown: 'PENDING',
};

/** The 277's answer is not readable: the clearinghouse's fault, retried like an outage. */
export class StatusAnswerUnreadable extends Error {
  constructor(why: string) {
    super(`the clearinghouse's claim status answer cannot be read: ${why}`);
    this.name = 'StatusAnswerUnreadable';
  }
}

/**
 * `inquiry` numbers the question within the claim (the workflow's attempt and follow-up): BHT03 carries it with the
 * claim id, so a retried activity asks the same question again and the payer counts it once.
 */
export async function inquireInX12(
  prisma: PrismaClient,
  clearinghouse: Clearinghouse,
  id: X12Identity,
  claim: InquiryClaim,
  inquiry: number,
): Promise<StatusAnswer> {
  const identity: InquiryIdentity = { sender: id.sender, receiver: id.receiver, usage: id.usage };
  const control = await nextControlNumbers(prisma);
  const dos = claim.encounter.dateOfService.toISOString().slice(0, 10);
  let x12: string;
  try {
    x12 = write276({
      ...envelopeFor(identity, control, new Date()),
      reference: `${claim.id}-${inquiry}`,
      inquiries: [
        {
          payer: payerParty(claim),
          receiver: {
            entityType: '2',
            name: id.submitterName.toUpperCase().slice(0, 60),
            idQualifier: '46',
            id: claim.organization.submitterId ?? id.sender.id,
          },
          provider: providerParty(claim),
          ...membersOf(claim),
          claim: {
            trace: claim.id,
            patientControlNumber: claim.id,
            ...(claim.payerClaimControlNo ? { payerClaimControlNumber: claim.payerClaimControlNo } : {}),
            charge: claim.totalChargeCents,
            serviceDate: { from: dos, to: dos },
          },
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof X12GenerationError)) throw err;
    throw ApplicationFailure.nonRetryable(`claim ${claim.id} cannot be asked about in a 276: ${err.field} is not valid`, 'X12Generation', {
      field: err.field,
    });
  }
  const text = await clearinghouse.inquireStatus(x12);
  const { transactions, errors } = readTransactions(text);
  const t = transactions.find((x) => x.setId === '277');
  if (!t) throw new StatusAnswerUnreadable(errors[0] ? `segment ${errors[0].segmentIndex} (${errors[0].segmentId})` : 'no 277 in it');
  try {
    const response = read277(t);
    const status = claimStatusFromResponse(response, claim.id);
    const answered = response.claims.find((c) => c.patientControlNumber === claim.id) ?? response.claims.find((c) => c.trace === claim.id);
    const stc = answered ? currentReport(answered.reports)?.statuses[0] : undefined;
    const says = status.followUp.says;
    return {
      category: CATEGORY_OF[status.followUp.kind],
      statusCode: stc?.category ?? status.followUp.kind,
      message: `${says.charAt(0).toUpperCase()}${says.slice(1)}.`,
      followUp: status.followUp,
      ...(status.paid !== undefined ? { paidCents: status.paid } : {}),
      ...(status.checkNumber ? { checkNumber: status.checkNumber } : {}),
    };
  } catch (err) {
    if (err instanceof X12SyntaxError) throw new StatusAnswerUnreadable(`segment ${err.segmentIndex} (${err.segmentId})`);
    throw err;
  }
}
