// A marker on values that identify a patient, so logs, traces and exports can find and redact them.

/** T, marked at runtime and in the type as protected health information. */
export type Phi<T> = T & { readonly phi: true };

export function phi<T extends object>(value: T): Phi<T> {
  return Object.assign(value, { phi: true as const });
}

/** A person or organisation named in an NM1 segment. */
export interface Name {
  /** NM101 entity identifier: QC patient, IL insured/subscriber, 74 corrected name, 82 rendering provider... */
  entity: string;
  /** NM102: 1 person, 2 organisation. */
  entityType: string;
  /** NM103: last name or organisation name. */
  lastName: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
  /** NM108 (MI member id, XX NPI, HN HIC number...). */
  idQualifier?: string;
  /** NM109. */
  id?: string;
}
