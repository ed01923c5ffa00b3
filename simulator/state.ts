// The simulator's whole memory as one JSON-serialisable object, and the optional file that keeps it across
// restarts. Only what the payer needs is kept: no diagnoses, no appeal packets. The one piece of patient data
// is what the 277CA and 835 must name (the patient's name and member id, X12ClaimFacts): a payer's files
// carry them by the guides' rules. They are never logged and never shown by the admin routes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AcknowledgementMessage, AppealDecisionMessage, RemittanceMessage, StatusAnswer } from '../domain/clearinghouse';
import { SimulatorConfigError } from './errors';
import type { Adjudication, RemittedLine, Scenario } from './scenarios';

export type OutboundKind = 'acknowledgement' | 'remittance' | 'appeal-decision';
export type OutboundBody = AcknowledgementMessage | RemittanceMessage | AppealDecisionMessage;

export interface OutboundMessage {
  /** ackId, traceNumber or decisionId: the receiver dedupes on it */
  id: string;
  kind: OutboundKind;
  claimId: string;
  /** the submission attempt a message is about (appeal decisions: the attempt that was denied) */
  attempt?: number;
  /** insertion order, to break ties between messages due at the same moment */
  seq: number;
  dueAtMs: number;
  body: OutboundBody;
  state: 'queued' | 'delivered' | 'dropped' | 'cancelled';
  deliveryAttempts: number;
  nextAttemptAtMs: number;
  lastHttpStatus?: number;
  deliveredAtMs?: number;
  /** a remittance's payment date is fixed at its first delivery attempt, never later than its due date */
  paymentDateFixed?: boolean;
  /** the submission (idempotency key) this message answers */
  submissionKey?: string;
  /** X12 delivery: the ISA13 of the file this message becomes (999: see X12FileRecord) */
  x12Isa?: number;
  /** X12 delivery: the received 837 file whose 999 goes out before this message (once per file) */
  x12File?: string;
  /** X12 delivery: this message is only the 999 of a file none of whose claims could be read */
  only999?: boolean;
  /** X12 delivery: the file as first rendered, so a re-delivery sends the same bytes */
  x12Text?: string;
}

/** An 837 file received over X12, keyed by its Idempotency-Key header. */
export interface X12FileRecord {
  key: string;
  isa13: string;
  senderId: string;
  group: { controlNumber: string; version: string };
  sets: import('./x12').ReceivedSet[];
  clearinghouseRef: string;
  /** CLM01 of each claim read from the file, in file order */
  claimIds: string[];
  claimKeys: string[];
  isa999: number;
  text999?: string;
  delivered999: boolean;
}

export interface SubmissionRecord {
  idempotencyKey: string;
  claimId: string;
  attempt: number;
  frequencyCode: '1' | '7' | '8';
  clearinghouseRef: string;
  receivedAtMs: number;
  accepted: boolean;
  rejectionCode?: string;
  reason?: string;
  payerClaimControlNo?: string;
  ackId: string;
  adjudication?: Adjudication;
  /** the trace numbers of remittances issued for this submission, oldest first */
  remittanceIds: string[];
  /** X12 submissions: the billing provider (an organisation, no patient data), ISA13 and sender of the 837 */
  billingProvider?: { name: string; npi: string };
  interchangeRef?: string;
  senderId?: string;
  /** X12 submissions: what the 277CA and 835 repeat of the claim (holds PHI) */
  x12Claim?: import('./x12').X12ClaimFacts;
  /** the billing provider's NPI (a PLB names it); absent in state files written before */
  billingProviderNpi?: string;
  /** the claim's date of service (DTP*472, DTM*472); absent in state files written before */
  dateOfService?: string;
  lines: RemittedLine[];
}

export interface ClaimRecord {
  claimId: string;
  payerElectronicId: string;
  scenario: Scenario;
  /** idempotency keys of distinct submissions, in arrival order */
  submissionKeys: string[];
  /** idempotency keys of distinct status inquiries */
  inquiryKeys: string[];
  appealKeys: string[];
  /** an overturned appeal's payment was already scheduled: a later appeal must not pay again */
  overturnPaid: boolean;
}

export interface AppealRecord {
  idempotencyKey: string;
  claimId: string;
  level: number;
  appealRef: string;
  decisionId: string;
  decision: 'OVERTURNED' | 'UPHELD';
  filedAtMs: number;
  packetChars: number;
}

export interface Counters {
  submissionsReceived: number;
  duplicateSubmissions: number;
  statusInquiries: number;
  duplicateStatusInquiries: number;
  appealsReceived: number;
  duplicateAppeals: number;
  deliveriesMade: number;
  deliveryAttemptsFailed: number;
  deliveriesDropped: number;
  faultedRequests: number;
}

export interface SimulatorState {
  version: 1;
  seed: number;
  /** real time at which the simulated calendar starts; simulated time runs dayMs per 24 h from here */
  epochMs: number;
  nextSeq: number;
  submissions: Record<string, SubmissionRecord>;
  /** every POST /claims per idempotency key, duplicates included: proves "never submitted twice" */
  submissionsPerKey: Record<string, number>;
  claims: Record<string, ClaimRecord>;
  inquiries: Record<string, { claimId: string; answer: StatusAnswer }>;
  appeals: Record<string, AppealRecord>;
  forcedScenarios: Record<string, Scenario>;
  outbox: Record<string, OutboundMessage>;
  counters: Counters;
  /** 837 files received as X12 (absent in state files written before X12) */
  x12Files?: Record<string, X12FileRecord>;
  /** the last ISA13 the simulator used for a file it sends */
  lastIsa?: number;
}

export function emptyState(seed: number, epochMs: number): SimulatorState {
  return {
    version: 1,
    seed,
    epochMs,
    nextSeq: 1,
    submissions: {},
    submissionsPerKey: {},
    claims: {},
    inquiries: {},
    appeals: {},
    forcedScenarios: {},
    outbox: {},
    counters: {
      submissionsReceived: 0,
      duplicateSubmissions: 0,
      statusInquiries: 0,
      duplicateStatusInquiries: 0,
      appealsReceived: 0,
      duplicateAppeals: 0,
      deliveriesMade: 0,
      deliveryAttemptsFailed: 0,
      deliveriesDropped: 0,
      faultedRequests: 0,
    },
  };
}

/** Reads a state file written by an earlier run; undefined when there is none yet. */
export function loadStateFile(file: string, seed: number): SimulatorState | undefined {
  if (!existsSync(file)) return undefined;
  let state: SimulatorState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as SimulatorState;
  } catch {
    throw new SimulatorConfigError(`SIMULATOR_STATE_FILE ${file} is not valid JSON`);
  }
  if (state.version !== 1) throw new SimulatorConfigError(`SIMULATOR_STATE_FILE ${file} has an unknown version`);
  // Ids and outcomes already issued derive from the seed; mixing two seeds would contradict them.
  if (state.seed !== seed) {
    throw new SimulatorConfigError(
      `SIMULATOR_STATE_FILE ${file} was written with seed ${state.seed}, not ${seed}; use that seed or remove the file`,
    );
  }
  return state;
}

/**
 * Writes the state after each change. Concurrent saves coalesce: a caller's promise resolves once a write
 * that began after its change has finished, so a request answers only when its effect is on disk.
 */
export class StateFile {
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SimulatorState,
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  save(): Promise<void> {
    this.dirty = true;
    this.writing ??= this.writeUntilClean();
    return this.writing;
  }

  private async writeUntilClean(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify(this.snapshot()));
        // rename is atomic: a crash leaves the old file or the new one, never half of one.
        await rename(tmp, this.file);
      }
    } finally {
      this.writing = undefined;
    }
  }
}
