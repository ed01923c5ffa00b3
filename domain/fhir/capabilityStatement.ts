// What claimflow's FHIR R4 endpoint does, as GET /fhir/metadata answers it. Pure.
import type { CapabilityStatement } from '@medplum/fhirtypes';

export function capabilityStatement(version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-08',
    kind: 'instance',
    software: { name: 'claimflow', version },
    implementation: { description: 'claimflow: claims in from EHRs, adjudication (835 remittances) out' },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        documentation: 'docs/fhir.md. Every read is limited to the practices of the token; a claim of another practice is not found.',
        security: {
          description:
            'Authorization: Bearer <token> of an EHR machine user (bound to its practices) or of a person with a billing role (BILLER, SUPERVISOR, ADMIN).',
        },
        interaction: [
          { code: 'transaction', documentation: 'POST /fhir: a transaction Bundle of one Claim and the resources it references' },
        ],
        resource: [
          {
            type: 'Claim',
            interaction: [{ code: 'create' }, { code: 'read' }],
            documentation:
              'professional claims only; Claim.identifier (system and value) is required and makes a repeated Claim answer the first',
          },
          {
            type: 'ClaimResponse',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [{ name: 'request', type: 'reference', documentation: 'Claim/<claimflow claim id>' }],
            documentation: "id: the claim's id; absent until the payer's remittance (835) for the claim arrives",
          },
          {
            type: 'ExplanationOfBenefit',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [{ name: 'claim', type: 'reference', documentation: 'Claim/<claimflow claim id>, or the id alone' }],
            documentation: "id: the claim's id; absent until the payer's remittance (835) for the claim arrives",
          },
        ],
      },
    ],
  };
}
