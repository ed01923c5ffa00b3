// The simulated payer's claim status desk: reads a 276 and answers a 277 from what the payer has done with each
// claim (received, rejected, in adjudication, paid, denied, voided, or never seen). Each inquiry counts as the
// JSON /status inquiry does, so a payer that pays only once followed up (SILENT_THEN_PAY) hears it either way.
import type { StatusAnswer } from '../domain/clearinghouse';
import { read276, type ClaimStatusInquiry } from '../domain/x12/276';
import { write277, type ClaimStatusAnswerInput, type StatusReportInput } from '../domain/x12/277';
import type { StatusComposite } from '../domain/x12/statusCodes';
import { onlyTransaction, readOrRefuse, replyEnvelope } from './eligibility';

export interface StatusDeskOptions {
  /** the payer's answer to one inquiry, counted and deduplicated by its key (Payer.inquire) */
  inquire: (inquiry: { claimId: string; payerElectronicId: string; idempotencyKey: string }) => StatusAnswer;
  today: () => string;
  nextIsa: () => number;
}

/** The STC01 composite of each answer the payer gives (simulator/scenarios.ts statusAnswer). */
const COMPOSITES: Readonly<Record<string, StatusComposite>> = {
  A4: { category: 'A4', code: '35' },
  A1: { category: 'A1', code: '19' },
  A7: { category: 'A7', code: '21' },
  P1: { category: 'P1', code: '20' },
  F0: { category: 'F0', code: '101' },
  F1: { category: 'F1', code: '65' },
  F2: { category: 'F2', code: '1' },
};

export function statusDesk(o: StatusDeskOptions): { answer(text: string): string } {
  const answerFor = (reference: string, q: ClaimStatusInquiry): ClaimStatusAnswerInput => {
    const claimId = q.claim.patientControlNumber ?? q.claim.trace;
    // The 276's BHT03 and the claim make the key: a retried file is one inquiry, a new one (another BHT03) counts.
    const answer = o.inquire({ claimId, payerElectronicId: q.payer.id, idempotencyKey: `x12:${reference}:${claimId}` });
    const status = COMPOSITES[answer.statusCode] ?? { category: 'E0', code: '0' };
    const today = o.today();
    const report: StatusReportInput = {
      statuses: [status],
      effectiveDate: today,
      ...(q.claim.charge !== undefined ? { charge: q.claim.charge } : {}),
      ...(answer.statusCode === 'F2' ? { paid: 0, adjudicatedDate: today } : {}),
    };
    return {
      payer: q.payer,
      receiver: q.receiver,
      provider: q.provider,
      subscriber: q.subscriber,
      ...(q.dependent ? { dependent: q.dependent } : {}),
      claim: {
        trace: q.claim.trace,
        ...(q.claim.patientControlNumber ? { patientControlNumber: q.claim.patientControlNumber } : {}),
        ...(q.claim.payerClaimControlNumber ? { payerClaimControlNumber: q.claim.payerClaimControlNumber } : {}),
        ...(q.claim.serviceDate ? { serviceDate: q.claim.serviceDate } : {}),
        reports: [report],
      },
    };
  };

  return {
    answer(text) {
      const t = onlyTransaction(text, '276');
      const request = readOrRefuse('276', () => read276(t));
      const reference = request.reference ?? request.controlNumber;
      const answers = request.inquiries.map((q) => answerFor(reference, q));
      return write277({ ...replyEnvelope(t, o.nextIsa(), o.today()), reference, answers });
    },
  };
}
