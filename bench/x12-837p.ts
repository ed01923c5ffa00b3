// How fast generate837P writes a large batch: 10,000 claims of 3 lines in one interchange, the size of a
// busy group's daily submission several times over. Run: npx tsx bench/x12-837p.ts
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BillingProvider, Claim837, Subscriber } from '../domain/x12/837pModel';
import { parse837P } from '../domain/x12/read837p';
import { generate837P, type Batch837P } from '../domain/x12/write837p';
import { readTransactions } from '../domain/x12/reader';
import { describeMachine, machineTag } from './machine';

const CLAIMS = 10_000;
const RUNS = 5;

// 25 billing providers and 2,000 subscribers, so the HL grouping does real work; a fifth of the claims
// are for dependants (loop 2000C).
function makeClaims(n: number): Claim837[] {
  const providers: BillingProvider[] = Array.from({ length: 25 }, (_, i) => ({
    name: { organization: `CLINIC ${i + 1} MEDICAL GROUP` },
    npi: String(1000000000 + i * 7919),
    taxId: String(100000000 + i),
    taxonomy: '207Q00000X',
    address: { line1: `${i + 1} MAIN ST`, city: 'BOSTON', state: 'MA', postalCode: '021101234' },
  }));
  const subscribers: Subscriber[] = Array.from({ length: 2000 }, (_, i) => ({
    memberId: `M${String(i).padStart(9, '0')}`,
    name: { last: `PATIENT${i}`, first: 'ALEX' },
    birthDate: '1970-01-15',
    sex: i % 2 ? 'F' : 'M',
    address: { line1: `${i} ELM ST`, city: 'CAMBRIDGE', state: 'MA', postalCode: '02139' },
    groupNumber: 'GRP0042',
    claimFilingIndicator: 'CI',
    payerResponsibility: 'P',
  }));
  return Array.from({ length: n }, (_, i) => {
    const lines = [
      { procedureCode: '99214', modifiers: ['25'], chargeCents: 15000, units: 1, diagnosisPointers: [1, 2] },
      { procedureCode: '93000', modifiers: [], chargeCents: 4550, units: 1, diagnosisPointers: [2] },
      { procedureCode: '36415', modifiers: [], chargeCents: 1205, units: 2, diagnosisPointers: [3, 4] },
    ];
    return {
      submitter: { name: { organization: 'CLAIMFLOW BILLING' }, id: 'CF0001', contact: { name: 'EDI DESK', phone: '6175550100' } },
      receiver: { name: 'ACME CLEARINGHOUSE', id: 'ACMECH' },
      billingProvider: providers[i % providers.length],
      subscriber: subscribers[i % subscribers.length],
      payer: { name: 'BLUE RIVER HEALTH', id: 'BRH01' },
      ...(i % 5 === 4
        ? {
            patient: {
              relationship: '19' as const,
              name: { last: `PATIENT${i}`, first: 'SAM' },
              birthDate: '2012-05-05',
              sex: 'M' as const,
              address: { line1: '1 ELM ST', city: 'CAMBRIDGE', state: 'MA', postalCode: '02139' },
            },
          }
        : {}),
      claim: {
        patientControlNumber: `CF${String(i).padStart(8, '0')}`,
        totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
        placeOfService: '11',
        frequencyCode: '1' as const,
        providerSignature: 'Y' as const,
        assignment: 'A' as const,
        benefitsAssigned: 'Y' as const,
        releaseOfInformation: 'Y' as const,
        dateOfService: '2024-03-01',
        diagnoses: ['E11.9', 'I10', 'E78.5', 'Z79.4'],
        lines,
      },
    };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const batch: Batch837P = {
  claims: makeClaims(CLAIMS),
  control: { interchangeControlNumber: 1, groupControlNumber: 1, transactionControlNumber: '0001' },
  sender: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
  receiver: { qualifier: 'ZZ', id: 'ACMECH' },
  now: { date: '2024-03-15', time: '0930' },
  usage: 'T',
};

let text = generate837P(batch); // warm-up
const generateMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  text = generate837P(batch);
  generateMs.push(performance.now() - t0);
}
const bytes = Buffer.byteLength(text);

const readMs: number[] = [];
let readBack = 0;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  readBack = parse837P(readTransactions(text).transactions[0]).length;
  readMs.push(performance.now() - t0);
}
if (readBack !== CLAIMS) throw new Error(`read back ${readBack} claims, expected ${CLAIMS}`);

const mb = bytes / 1e6;
const gen = median(generateMs) / 1000;
const read = median(readMs) / 1000;
console.log(`${await describeMachine()}, ${os.platform()}/${os.arch()}`);
console.log(
  `batch:   ${CLAIMS} claims x 3 lines, ${mb.toFixed(2)} MB, ${text.split('~').length - 1} segments; median of ${RUNS} runs after a warm-up`,
);
console.log(
  `generate837P:                ${(gen * 1000).toFixed(0)} ms  ${Math.round(CLAIMS / gen).toLocaleString('en-US')} claims/s  ${(mb / gen).toFixed(1)} MB/s  ${machineTag()}`,
);
console.log(
  `readTransactions+parse837P:  ${(read * 1000).toFixed(0)} ms  ${Math.round(CLAIMS / read).toLocaleString('en-US')} claims/s  ${(mb / read).toFixed(1)} MB/s  ${machineTag()}`,
);
