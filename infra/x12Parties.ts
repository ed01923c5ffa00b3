// What claimflow's own inquiries (270, 276) say about a claim in X12 terms: the payer, the provider asking, the
// subscriber and patient, and the interchange and transaction numbers each file goes out under.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { EnvelopeArgs, EnvelopeParty } from '../domain/x12/envelopeWriter';
import type { Member, Party } from '../domain/x12/inquiryParts';

/** Who we are in an interchange (CLAIMFLOW_X12_SENDER_ID / _RECEIVER_ID / _USAGE). */
export interface InquiryIdentity {
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  usage: 'T' | 'P';
}

export function inquiryIdentity(s: { x12SenderId: string; x12ReceiverId: string; x12Usage: 'T' | 'P' }): InquiryIdentity {
  return { sender: { qualifier: 'ZZ', id: s.x12SenderId }, receiver: { qualifier: 'ZZ', id: s.x12ReceiverId }, usage: s.x12Usage };
}

export const INQUIRY_CLAIM_INCLUDE = {
  patient: true,
  coverage: true,
  payer: true,
  provider: true,
  organization: true,
  encounter: true,
  lines: { orderBy: { lineNo: 'asc' } },
} as const satisfies Prisma.ClaimInclude;
export type InquiryClaim = Prisma.ClaimGetPayload<{ include: typeof INQUIRY_CLAIM_INCLUDE }>;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const RELATIONSHIPS = new Set(['01', '19', '20', '21', '39', '40', '53', 'G8']);

export function payerParty(claim: InquiryClaim): Party {
  return { entityType: '2', name: claim.payer.name.toUpperCase().slice(0, 60), idQualifier: 'PI', id: claim.payer.electronicPayerId };
}

/** The practice when it bills as a group (its own NPI), else the provider who saw the patient, as the 837P names them. */
export function providerParty(claim: InquiryClaim): Party {
  const org = claim.organization;
  if (org.npi && org.taxId) return { entityType: '2', name: org.name.toUpperCase().slice(0, 60), idQualifier: 'XX', id: org.npi };
  return { entityType: '2', name: claim.provider.name.toUpperCase().slice(0, 60), idQualifier: 'XX', id: claim.provider.npi };
}

/**
 * The subscriber, and the patient as a dependent when the coverage is a family member's. The read model keeps no
 * subscriber demographics apart from the patient's: a dependent's subscriber goes out with member id and family name.
 */
export function membersOf(claim: InquiryClaim): { subscriber: Member; dependent?: Member & { relationship: string } } {
  const p = claim.patient;
  const gender = p.sex === 'F' || p.sex === 'M' ? p.sex : 'U';
  const person = { lastName: p.lastName.toUpperCase(), firstName: p.firstName.toUpperCase(), birthDate: iso(p.birthDate), gender };
  const self = claim.coverage.relationship === '18' || !RELATIONSHIPS.has(claim.coverage.relationship);
  if (self) return { subscriber: { ...person, memberId: claim.coverage.memberId } };
  return {
    subscriber: { lastName: person.lastName, memberId: claim.coverage.memberId },
    dependent: { ...person, relationship: claim.coverage.relationship },
  };
}

/** The next ISA13 and ST02 from the ControlSequence rows the 837P uses too: no two files of ours share a number. */
export async function nextControlNumbers(prisma: PrismaClient): Promise<{ interchange: number; transaction: string }> {
  return prisma.$transaction(async (tx) => {
    const [{ value }] = await tx.$queryRaw<{ value: number }[]>`
      INSERT INTO "ControlSequence" (name, value) VALUES ('ISA13', 1)
      ON CONFLICT (name) DO UPDATE SET value = CASE WHEN "ControlSequence".value >= 999999999 THEN 1 ELSE "ControlSequence".value + 1 END
      RETURNING value`;
    const [{ value: st }] = await tx.$queryRaw<{ value: number }[]>`
      INSERT INTO "ControlSequence" (name, value) VALUES ('ST02', ${value})
      ON CONFLICT (name) DO UPDATE SET value = CASE WHEN "ControlSequence".value >= 999999999 THEN 1 ELSE "ControlSequence".value + 1 END
      RETURNING value`;
    return { interchange: value, transaction: String(st).padStart(4, '0') };
  });
}

export function envelopeFor(id: InquiryIdentity, control: { interchange: number; transaction: string }, now: Date): EnvelopeArgs {
  const stamp = now.toISOString();
  return {
    sender: id.sender,
    receiver: id.receiver,
    control: {
      interchangeControlNumber: control.interchange,
      groupControlNumber: control.interchange,
      transactionControlNumber: control.transaction,
    },
    now: { date: stamp.slice(0, 10), time: stamp.slice(11, 13) + stamp.slice(14, 16) },
    usage: id.usage,
  };
}

/** TRN03: "9" and nine characters we assign, from our interchange sender id. */
export function traceOriginator(id: InquiryIdentity): string {
  return `9${id.sender.id
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase()
    .padEnd(9, '0')
    .slice(0, 9)}`;
}
