// The code systems and identifier systems claimflow reads and writes in FHIR R4 resources, in one place so that
// intake and output agree and docs/fhir.md can list them.

export const SYSTEMS = {
  npi: 'http://hl7.org/fhir/sid/us-npi',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  /** HCPCS Level II; terminology.hl7.org names it with https, many EHRs still send http */
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  placeOfService: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  /** CARIN Blue Button's adjudication categories: where patient responsibility has a code */
  c4bbAdjudication: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication',
  carc: 'https://x12.org/codes/claim-adjustment-reason-codes',
  rarc: 'https://x12.org/codes/remittance-advice-remark-codes',
  adjustmentGroup: 'https://x12.org/codes/claim-adjustment-group-codes',
  paymentType: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  /** claimflow's own ids, as identifiers: a patient, a payer (Coverage.payor), a claim */
  claimflowPatient: 'urn:claimflow:patient',
  claimflowPayer: 'urn:claimflow:payer',
  claimflowClaim: 'urn:claimflow:claim',
} as const;

export const HCPCS_SYSTEMS: readonly string[] = [SYSTEMS.hcpcs, 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'];
export const PROCEDURE_SYSTEMS: readonly string[] = [SYSTEMS.cpt, ...HCPCS_SYSTEMS];
