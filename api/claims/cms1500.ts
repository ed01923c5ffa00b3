// GET /api/claims/:id/cms1500.pdf: a claim as a CMS-1500 (02/12) paper claim, for the payers that take paper.
// The form is drawn from the same 837P model the electronic claim is written from (domain/x12/claim837From.ts),
// plus what the paper asks that the 837P carries elsewhere: the patient's other coverage and the service facility.
import type { Request, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import { Cms1500Error, cms1500Pages, type Cms1500Input } from '../../domain/cms1500/fields';
import { renderCms1500 } from '../../domain/cms1500/render';
import { claim837From, x12Identity, type X12Settings } from '../../domain/x12/claim837From';
import { callerId } from '../auth/auth';
import { callerPractices } from '../auth/practices';
import { recordAudit } from '../http/audit';
import { NotFoundError, parseInput, UnprocessableError } from '../http/errors';
import { cms1500Query } from './schemas';
import { visibleClaim } from './visibleClaim';

const CLAIM_FOR_PAPER = {
  lines: { orderBy: { lineNo: 'asc' } },
  diagnoses: { orderBy: { seq: 'asc' } },
  payer: true,
  provider: true,
  encounter: true,
  coverage: true,
  organization: true,
  patient: { include: { coverages: { include: { payer: true } } } },
} as const;

const PRIORITY_ORDER = ['PRIMARY', 'SECONDARY', 'TERTIARY'];
const FREQUENCIES = new Set(['1', '7', '8']);

/** The form's input for one claim, or null when it does not exist. */
export async function cms1500InputFor(
  prisma: PrismaClient,
  claimId: string,
  settings: X12Settings,
  today: string,
): Promise<Cms1500Input | null> {
  const claim = await prisma.claim.findUnique({ where: { id: claimId }, include: CLAIM_FOR_PAPER });
  if (!claim) return null;
  const frequencyCode = (FREQUENCIES.has(claim.frequencyCode) ? claim.frequencyCode : '1') as '1' | '7' | '8';
  const model = claim837From(claim, x12Identity(settings), {
    frequencyCode,
    ...(claim.payerClaimControlNo ? { originalPayerClaimControlNo: claim.payerClaimControlNo } : {}),
  });
  // The next of the patient's other coverages goes in box 9 (the secondary, when we bill the primary).
  const other = claim.patient.coverages
    .filter((c) => c.id !== claim.coverageId)
    .sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority))[0];
  const p = claim.patient;
  const org = claim.organization;
  return {
    claim: model,
    ...(other
      ? {
          otherCoverage: {
            // As in the 837P: the read model knows a dependant's subscriber by family name only.
            insured: other.relationship === '18' ? { last: p.lastName, first: p.firstName } : { last: p.lastName },
            policyNumber: other.memberId,
            planName: other.payer.name,
          },
        }
      : {}),
    // claimflow's one location per practice: where its patients are seen.
    serviceFacility: {
      name: org.name,
      address: { line1: org.addressLine, city: org.city, state: org.state, postalCode: org.zip9 },
      ...(org.npi ? { npi: org.npi } : {}),
    },
    billingPhone: model.submitter.contact.phone,
    signedOn: today,
  };
}

/** The route's handler: billing roles, the caller's practices only, audited as a read of the claim. */
export function cms1500Handler(prisma: PrismaClient, settings: X12Settings) {
  return async (req: Request, res: Response): Promise<void> => {
    const { outline = false } = parseInput(cms1500Query, req.query);
    const claimId = String(req.params.id);
    await visibleClaim(prisma, callerPractices(res), claimId);
    const input = await cms1500InputFor(prisma, claimId, settings, new Date().toISOString().slice(0, 10));
    if (!input) throw new NotFoundError('claim');
    let pdf: Uint8Array;
    let pages: number;
    try {
      const formPages = cms1500Pages(input);
      pages = formPages.length;
      pdf = await renderCms1500(formPages, { outline });
    } catch (err) {
      if (err instanceof Cms1500Error) throw new UnprocessableError('CMS1500_UNPRINTABLE', err.message, err.field);
      throw err;
    }
    await recordAudit(prisma, {
      actor: callerId(res),
      action: 'claim.cms1500',
      entity: 'claim',
      entityId: claimId,
      claimId,
      detail: { pages, outline },
    });
    res
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        // The claim id is ours, not the patient's: the file name carries no PHI.
        'Content-Disposition': `attachment; filename="claim-${claimId.replace(/[^A-Za-z0-9_-]/g, '')}-cms1500.pdf"`,
        'Cache-Control': 'no-store',
      })
      .send(Buffer.from(pdf));
  };
}
