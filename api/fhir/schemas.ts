// Request and response schemas of the /fhir routes. The resources themselves are read by domain/fhir/claimIn.ts,
// which names a refused element by its FHIRPath; these describe them for the OpenAPI document and check the
// search parameters.
import { z } from 'zod';

const resource = (type: string) => z.looseObject({ resourceType: z.literal(type), id: z.string().optional() });

/** A claimflow claim id, alone or as a reference (Claim/<id>, or a full URL ending in it). */
const claimReference = z
  .string('must be given once')
  .transform((s) => s.replace(/^.*\bClaim\//, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, 'must be Claim/<id>'));

export const claimBody = resource('Claim').describe('a FHIR R4 Claim (professional), its parties contained or named by identifier');
export const transactionBundleBody = z
  .looseObject({ resourceType: z.literal('Bundle'), type: z.literal('transaction'), entry: z.array(z.looseObject({})) })
  .describe('a FHIR R4 transaction Bundle: one Claim and the Patient, Coverage, Encounter, Practitioner and Organization it references');

export const claimResponseSearchQuery = z.strictObject({ request: claimReference });
export const explanationOfBenefitSearchQuery = z.strictObject({ claim: claimReference });

// ---- responses ----------------------------------------------------------------------------------

export const claimResource = resource('Claim');
export const claimResponseResource = resource('ClaimResponse');
export const explanationOfBenefitResource = resource('ExplanationOfBenefit');
export const capabilityStatementResource = resource('CapabilityStatement');
export const searchsetBundle = z.looseObject({ resourceType: z.literal('Bundle'), type: z.literal('searchset'), total: z.int() });
export const transactionResponseBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction-response'),
  entry: z.array(z.looseObject({ response: z.looseObject({ status: z.string(), location: z.string().optional() }) })),
});
