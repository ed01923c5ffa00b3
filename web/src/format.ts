// Plain words for what the API answers in codes: money from integer cents, dates and ages, and labels
// for states, task kinds and actions.

export function money(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  // A calendar date (YYYY-MM-DD) is not an instant: show it as written, not shifted by the time zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
  }
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "in 3 h", "5 min ago": how far an instant is from now. */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  const [size, unit] = units.find(([s]) => abs >= s) ?? [1000, 's'];
  const n = Math.max(1, Math.round(abs / size));
  return ms >= 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

export const STATE_LABELS: Record<string, string> = {
  CODING: 'Coding',
  SCRUBBING: 'Scrubbing',
  READY: 'Ready to submit',
  SUBMITTED: 'Submitted',
  ACKNOWLEDGED: 'Accepted by the payer',
  REJECTED: 'Rejected',
  AWAITING_ADJUDICATION: 'Awaiting adjudication',
  PAID: 'Paid',
  PARTIALLY_PAID: 'Partially paid',
  DENIED: 'Denied',
  APPEALED: 'Appealed',
  POSTED: 'Posted',
  CLOSED: 'Closed',
  WRITTEN_OFF: 'Written off',
  VOIDED: 'Voided',
};

export const stateLabel = (s: string) => STATE_LABELS[s] ?? s;

export const KIND_LABELS: Record<string, string> = {
  CODE_REVIEW: 'Code review',
  ELIGIBILITY: 'Eligibility not confirmed',
  SCRUB_FIX_CODING: 'Scrub fix (coding)',
  SCRUB_FIX_BILLING: 'Scrub fix (billing)',
  FIX_REJECTION: 'Fix a rejection',
  FOLLOW_UP: 'Follow up with the payer',
  CHART_AUDIT: 'Chart audit (coding denial)',
  DENIAL_REVIEW: 'Denial review',
  APPEAL_UPHELD_REVIEW: 'Appeal upheld: decide',
  APPEAL_DECISION_OVERDUE: 'Appeal decision overdue',
  WRITE_OFF_APPROVAL: 'Write-off approval',
  FOLLOW_UP_ESCALATION: 'Follow-up escalation',
  OVERDUE_TASK: 'Overdue task',
  TIMELY_FILING_RISK: 'Timely filing at risk',
  POSTING_EXCEPTION: 'Unmatched payment',
  UNDERPAYMENT: 'Underpaid: appeal or accept',
};

export const kindLabel = (k: string) => KIND_LABELS[k] ?? k;

export const ACTION_LABELS: Record<string, string> = {
  CONFIRM_CODES: 'Confirm codes',
  COVERAGE_FIXED: 'Coverage fixed: check again',
  RECHECK: 'Ask the payer again',
  FIXED: 'Fixed: scrub again',
  VOID: 'Void the claim',
  RESUBMIT: 'Resubmit the claim',
  KEEP_WAITING: 'Keep waiting',
  CORRECTED_CLAIM: 'Send a corrected claim',
  APPEAL: 'Appeal',
  WRITE_OFF: 'Request a write-off',
  APPROVE: 'Approve the write-off',
  REFUSE: 'Refuse the write-off',
  ACKNOWLEDGE: 'Acknowledge',
  MATCH: 'Match to a claim',
  RESOLVED_NO_ACTION: 'Resolved, no action',
  ACCEPT: 'Accept the payment',
};

export const actionLabel = (a: string) => ACTION_LABELS[a] ?? a;

/** What each choice does to the claim, one line under the choice. */
export const ACTION_HINTS: Record<string, string> = {
  CONFIRM_CODES: 'the codes below go on the claim and it moves on to scrubbing',
  FIXED: 'the claim is scrubbed again with the changes below',
  VOID: 'the claim is cancelled (frequency 8 to the payer if it had been accepted)',
  RESUBMIT: 'the claim is scrubbed and sent again',
  KEEP_WAITING: 'nothing is sent; the next follow-up comes after the payer\u2019s interval',
  CORRECTED_CLAIM: 'a replacement claim (frequency 7) with the changed codes is scrubbed and sent',
  APPEAL: 'an appeal at the next level goes to the payer; the claim waits for its decision',
  WRITE_OFF: 'the balance is written off (a supervisor approves amounts over the threshold); a note is required',
  APPROVE: 'the balance is written off and the claim closes',
  REFUSE: 'the claim goes back to where it was; a note is required',
  ACKNOWLEDGE: 'you have seen it; the task closes',
  MATCH: 'the payment is posted to the claim you name',
  RESOLVED_NO_ACTION: 'the payment is set aside with your note',
  ACCEPT: 'the payment stands as posted and the claim goes on (closes when nothing is left to collect)',
};

export const CATEGORY_LABELS: Record<string, string> = {
  CODING: 'coding problem',
  BUNDLING: 'bundling',
  MISSING_INFORMATION: 'missing information',
  ELIGIBILITY: 'eligibility',
  AUTHORIZATION: 'authorization',
  MEDICAL_NECESSITY: 'medical necessity',
  TIMELY_FILING: 'timely filing',
  DUPLICATE: 'duplicate',
  COORDINATION_OF_BENEFITS: 'coordination of benefits',
  OTHER: 'other',
};
