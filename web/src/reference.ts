// Reference data every screen may need, fetched once per page load and shared.
import { api } from './api';
import type { Payer, PayerList, ReasonCodes } from './types';

let payers: Promise<Map<string, Payer>> | undefined;
let reasons: Promise<ReasonCodes> | undefined;

export function loadPayers(): Promise<Map<string, Payer>> {
  payers ??= api<PayerList>('/api/payers')
    .then((r) => new Map(r.items.map((p) => [p.id, p])))
    .catch((err) => {
      payers = undefined;
      throw err;
    });
  return payers;
}

export function loadReasonCodes(): Promise<ReasonCodes> {
  reasons ??= api<ReasonCodes>('/api/codes/adjustment-reasons').catch((err) => {
    reasons = undefined;
    throw err;
  });
  return reasons;
}
