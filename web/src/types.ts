// The API's answers as the workspace reads them (api/http/views.ts builds them).

export type QueueName = 'CODER' | 'BILLER' | 'SUPERVISOR';

export interface TaskView {
  id: string;
  claimId: string | null;
  queue: QueueName;
  kind: string;
  status: 'OPEN' | 'CLAIMED' | 'DONE' | 'CANCELLED' | string;
  priority: number;
  rank: { priority: number; reasons: string[] };
  dueAt: string;
  overdue: boolean;
  assigneeId: string | null;
  context: Record<string, unknown> | null;
  outcome: Record<string, unknown> | null;
  escalatedFromId: string | null;
  createdAt: string;
  claimedAt: string | null;
  doneAt: string | null;
  doneById: string | null;
}

export interface QueueItem extends TaskView {
  claim: { payerId: string; balanceCents: number } | null;
}

export interface TaskNote {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}

export interface ClaimLine {
  lineNo: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
  paidCents: number;
  adjustedCents: number;
  patientRespCents: number;
}

export interface Adjustment {
  lineNo: number | null;
  groupCode: string;
  carc: string;
  rarc: string | null;
  amountCents: number;
}

export interface ClaimDetail {
  id: string;
  state: string;
  stateEnteredAt: string;
  patientId: string;
  providerId: string;
  payerId: string;
  dateOfService: string;
  placeOfService: string;
  documentation: string;
  totalChargeCents: number;
  paidCents: number;
  adjustedCents: number;
  patientRespCents: number;
  writtenOffCents: number;
  balanceCents: number;
  frequencyCode: string;
  payerClaimControlNo: string | null;
  createdAt: string;
  closedAt: string | null;
  lines: ClaimLine[];
  diagnoses: { seq: number; code: string; suggested: boolean }[];
  submissions: {
    attempt: number;
    frequencyCode: string;
    status: string;
    rejectReason: string | null;
    clearinghouseRef: string | null;
    submittedAt: string | null;
    respondedAt: string | null;
  }[];
  payments: {
    id: string;
    traceNumber: string;
    paymentDate: string | null;
    statusCode: string;
    chargeCents: number;
    paidCents: number;
    patientRespCents: number;
    postedAt: string | null;
    adjustments: Adjustment[];
  }[];
  appeals: { level: number; status: string; deadline: string | null; filedAt: string | null; decidedAt: string | null }[];
  tasks: TaskView[];
  history: { at: string; actor: string; detail: { from?: string | null; to?: string; reason?: string } | null }[];
}

export interface TimelineEntry {
  at: string;
  type: string;
  source: 'audit' | 'record' | 'workflow';
  actor: string | null;
  description: string;
}

export interface Payer {
  id: string;
  name: string;
  payerGroup: string;
  appealLevels: number;
  appealWindowDays: number;
  followUpIntervalDays: number;
}

export interface Patient {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: string;
  coverages: { payerName: string; memberId: string; priority: number }[];
}

export interface CodeResult {
  code: string;
  description: string;
  billable: boolean;
  matchedWords?: string[];
}

export interface ReasonCodes {
  carcs: { code: string; meaning: string; category: string; routine: boolean }[];
  rarcs: { code: string; meaning: string }[];
  groups: { code: string; meaning: string }[];
}
