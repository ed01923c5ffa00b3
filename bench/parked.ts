// Parks claims in AWAITING_ADJUDICATION without walking each one through coding, scrubbing, submission and
// acknowledgement: the quick path the idle-scale benchmark takes past its first claims, because the real path
// costs ~0.3 s of CPU per claim on this machine and 100,000 claims would take most of a day.
//
// What is real: each claim is a real claimLifecycle workflow on the real task queue, started by the API's own
// startLifecycle (payload codec, search attributes, REJECT_DUPLICATE) with the memory a run would hand over at
// continue-as-new right after the payer accepted the claim (state ACKNOWLEDGED, next step `adjudication`,
// attempt 1, the five transitions so far). The workflow then runs the real `adjudication` step on a worker:
// it records the AWAITING_ADJUDICATION transition through the recordTransition activity, upserts its search
// attributes and parks on the follow-up timer (the payer's follow-up interval, 14-30 days, away), exactly where a claim
// that came the long way waits. What is written directly instead of by activities: the encounter, claim,
// lines, diagnoses, the accepted 837 submission (control numbers taken from ControlSequence), the finished
// CODE_REVIEW task and the audit rows of the steps skipped, in bulk, in the same shape the activities write.
// Not there: the 837/999/277CA files on the simulator side and the inbound-message rows of the acks.
// Differences that a reader of the figures should know: the workflow's history starts at the parked step
// (about 12 events instead of about 60), and its run counter reads 2, as after a continue-as-new.
import type { Client } from '@temporalio/client';
import { payerPolicy, startLifecycle } from '../api/claims/claimWorkflow';
import { newClaimId, newEncounterId } from '../api/http/ids';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Config } from '../infra/config';
import { mapLimit } from '../infra/process';
import { demoEncounter, ORGANIZATION_IDS, type Rng } from '../app/seed';
import { taskPriority } from '../domain/priority';
import { workflowIdForClaim, type ClaimLifecycleInput, type ClaimRunMemory, type PayerPolicy } from '../workflows/contract';

interface Coverage {
  coverageId: string;
  payer: PayerPolicy;
}

export interface ParkedSeeder {
  /** Writes `count` claims' rows and starts their workflows; resolves once every start was accepted. */
  park(fromIndex: number, count: number): Promise<{ started: number }>;
}

export async function parkedSeeder(
  prisma: PrismaClient,
  client: Client,
  config: Pick<Config, 'dayMs' | 'writeOffApprovalThresholdCents'>,
  rng: Rng,
  o: { batch?: number; startConcurrency?: number } = {},
): Promise<ParkedSeeder> {
  const BATCH = o.batch ?? 500;
  const START_CONCURRENCY = o.startConcurrency ?? 32;
  const coverages = new Map<string, Coverage>();
  for (const c of await prisma.coverage.findMany({ where: { priority: 'PRIMARY' }, include: { payer: true } })) {
    coverages.set(c.patientId, {
      coverageId: c.id,
      payer: payerPolicy(c.payer),
    });
  }

  /** A block of ISA13 (and ST02) numbers in one step, as submitClaim takes one at a time. */
  async function controlNumbers(tx: Prisma.TransactionClient, n: number): Promise<number> {
    const [{ value }] = await tx.$queryRaw<{ value: number }[]>`
      INSERT INTO "ControlSequence" (name, value) VALUES ('ISA13', ${n})
      ON CONFLICT (name) DO UPDATE SET value = "ControlSequence".value + ${n}
      RETURNING value`;
    await tx.$executeRaw`
      INSERT INTO "ControlSequence" (name, value) VALUES ('ST02', ${value})
      ON CONFLICT (name) DO UPDATE SET value = ${value}`;
    return value - n + 1;
  }

  async function writeBatch(first: number, n: number): Promise<ClaimLifecycleInput[]> {
    const now = Date.now();
    const at = (offsetS: number) => new Date(now - offsetS * 1000);
    const encounters: Prisma.EncounterCreateManyInput[] = [];
    const claims: Prisma.ClaimCreateManyInput[] = [];
    const lines: Prisma.ClaimLineCreateManyInput[] = [];
    const diagnoses: Prisma.ClaimDiagnosisCreateManyInput[] = [];
    const tasks: Prisma.TaskCreateManyInput[] = [];
    const audits: Prisma.AuditEventCreateManyInput[] = [];
    const inputs: ClaimLifecycleInput[] = [];
    const submissions: Omit<Prisma.SubmissionCreateManyInput, 'interchangeControlNumber' | 'transactionControlNumber'>[] = [];
    for (let k = 0; k < n; k++) {
      const body = demoEncounter(rng, first + k);
      const coverage = coverages.get(body.patientId);
      if (!coverage) throw new Error(`demo patient ${body.patientId} has no primary coverage`);
      const claimId = newClaimId();
      const encounterId = newEncounterId();
      const totalChargeCents = body.lines.reduce((s, l) => s + l.chargeCents, 0);
      const icn = `PCN${claimId.slice(2)}`;
      encounters.push({
        id: encounterId,
        organizationId: ORGANIZATION_IDS.riverbend,
        patientId: body.patientId,
        providerId: body.providerId,
        dateOfService: new Date(`${body.dateOfService}T00:00:00Z`),
        placeOfService: body.placeOfService,
        documentation: body.documentation,
        createdAt: at(60),
      });
      claims.push({
        id: claimId,
        organizationId: ORGANIZATION_IDS.riverbend,
        encounterId,
        patientId: body.patientId,
        payerId: coverage.payer.payerId,
        coverageId: coverage.coverageId,
        providerId: body.providerId,
        state: 'ACKNOWLEDGED',
        stateEnteredAt: at(1),
        payerClaimControlNo: icn,
        totalChargeCents,
        balanceCents: totalChargeCents,
        createdAt: at(60),
      });
      body.lines.forEach((l, i) =>
        lines.push({
          claimId,
          lineNo: i + 1,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers ?? [],
          units: l.units,
          chargeCents: l.chargeCents,
          diagnosisPointers: l.diagnosisPointers,
        }),
      );
      (body.diagnoses ?? []).forEach((code, i) => diagnoses.push({ claimId, seq: i + 1, code }));
      submissions.push({
        claimId,
        attempt: 1,
        frequencyCode: '1',
        idempotencyKey: `${claimId}:1`,
        status: 'ACCEPTED',
        clearinghouseRef: `SEED-${claimId}`,
        submittedAt: at(20),
        respondedAt: at(2),
      });
      const outcome = { action: 'CONFIRM_CODES', diagnoses: body.diagnoses };
      tasks.push({
        id: crypto.randomUUID(),
        claimId,
        organizationId: ORGANIZATION_IDS.riverbend,
        workflowId: workflowIdForClaim(claimId),
        queue: 'CODER',
        kind: 'CODE_REVIEW',
        status: 'DONE',
        priority: taskPriority({ kind: 'CODE_REVIEW', amountCents: totalChargeCents }),
        dueAt: new Date(now + 2 * config.dayMs),
        assigneeId: 'coder-1',
        context: { suggestions: [], state: 'CODING', balanceCents: totalChargeCents },
        outcome,
        createdAt: at(59),
        claimedAt: at(40),
        doneAt: at(30),
        doneById: 'coder-1',
      });
      const history = [
        { state: 'CODING', at: at(59).toISOString(), reason: 'encounter received' },
        { state: 'SCRUBBING', at: at(30).toISOString(), reason: 'codes confirmed' },
        { state: 'READY', at: at(25).toISOString(), reason: 'edits passed' },
        { state: 'SUBMITTED', at: at(20).toISOString(), reason: 'attempt 1, frequency 1' },
        { state: 'ACKNOWLEDGED', at: at(1).toISOString(), reason: `accepted by the payer as ${icn}` },
      ] as const;
      audits.push({
        actor: 'biller-1',
        action: 'claim.create',
        entity: 'claim',
        entityId: claimId,
        claimId,
        at: at(60),
        detail: { lines: body.lines.length, diagnoses: body.diagnoses?.length ?? 0, totalChargeCents, payerId: coverage.payer.payerId },
      });
      history.forEach((h, i) =>
        audits.push({
          actor: 'workflow',
          action: 'claim.transition',
          entity: 'claim',
          entityId: claimId,
          claimId,
          at: new Date(h.at),
          detail: { from: i ? history[i - 1].state : null, to: h.state, at: h.at, reason: h.reason },
        }),
      );
      const resume: ClaimRunMemory = {
        state: 'ACKNOWLEDGED',
        stateEnteredAt: history[4].at,
        history: history.map((h) => ({ ...h })),
        openTasks: [],
        attempt: 1,
        frequencyCode: '1',
        payerClaimControlNo: icn,
        followUps: 0,
        appealLevel: 0,
        balanceCents: totalChargeCents,
        patientRespCents: 0,
        postedPaymentIds: [],
        next: 'adjudication',
        denialCarcs: [],
        runs: 1,
        timelyFilingWarned: false,
        // the rest of the workflow's memory as a run hands it over: the ack seen, nothing pending
        acks: [],
        remittances: [],
        decisions: [],
        completed: {},
        seenMessages: [`ack:seed-${claimId}`],
        escalations: {},
        acceptedOnce: true,
      };
      inputs.push({
        claimId,
        payer: coverage.payer,
        dateOfService: body.dateOfService,
        totalChargeCents,
        options: { dayMs: config.dayMs, writeOffApprovalThresholdCents: config.writeOffApprovalThresholdCents },
        resume,
      });
    }
    await prisma.$transaction(
      async (tx) => {
        const firstIcn = await controlNumbers(tx, n);
        await tx.encounter.createMany({ data: encounters });
        await tx.claim.createMany({ data: claims });
        await tx.claimLine.createMany({ data: lines });
        await tx.claimDiagnosis.createMany({ data: diagnoses });
        await tx.submission.createMany({
          data: submissions.map((s, i) => ({
            ...s,
            interchangeControlNumber: firstIcn + i,
            transactionControlNumber: String(firstIcn + i).padStart(4, '0'),
          })),
        });
        await tx.task.createMany({ data: tasks });
        await tx.auditEvent.createMany({ data: audits });
      },
      { timeout: 60_000 },
    );
    return inputs;
  }

  return {
    async park(fromIndex, count) {
      let started = 0;
      for (let first = fromIndex; first < fromIndex + count; first += BATCH) {
        const inputs = await writeBatch(first, Math.min(BATCH, fromIndex + count - first));
        await mapLimit(inputs, START_CONCURRENCY, async (input) => {
          for (let attempt = 1; ; attempt++) {
            try {
              const start = await startLifecycle(client, input, 'ACKNOWLEDGED', new Date(input.resume!.stateEnteredAt));
              if (start.started) started++;
              return;
            } catch (err) {
              if (attempt >= 5) throw err;
              await new Promise((r) => setTimeout(r, 500 * attempt));
            }
          }
        });
      }
      return { started };
    },
  };
}
