// Request and response schemas of the practice (organization) routes.
import { z } from 'zod';
import { text } from '../http/fields';

const organizationId = z
  .string('must be a string')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');
const npi = z.string('must be a string').regex(/^\d{10}$/, 'must be a 10-digit NPI');
const taxId = z.string('must be a string').regex(/^\d{9}$/, 'must be a 9-digit tax id (EIN), digits only');
const state = z.string('must be a string').regex(/^[A-Z]{2}$/, 'must be a 2-letter state code');
const zip9 = z.string('must be a string').regex(/^\d{9}$/, 'must be the 9-digit ZIP+4 the 837P needs, digits only');
// X12 element values: letters, digits and spaces, so no value can carry a delimiter.
const x12Id = z.string('must be a string').regex(/^[A-Za-z0-9]{2,15}$/, 'must be 2-15 letters or digits');
const x12Name = z.string('must be a string').regex(/^[A-Za-z0-9 .,&'-]{1,60}$/, "must be 1-60 letters, digits, spaces or . , & ' -");

const fields = {
  name: text(100),
  npi: npi.nullable().optional(),
  taxId: taxId.nullable().optional(),
  addressLine: text(55),
  city: text(30),
  state,
  zip9,
  submitterId: x12Id.nullable().optional(),
  submitterName: x12Name.nullable().optional(),
};

/** A group bills as itself only with both its NPI and its tax id. */
const groupComplete = (o: { npi?: string | null; taxId?: string | null }) => (o.npi == null) === (o.taxId == null);
const GROUP_MESSAGE = { message: 'give both npi and taxId (the group bills as itself) or neither', path: ['npi'] };

export const createOrganizationBody = z.strictObject({ id: organizationId, ...fields }).refine(groupComplete, GROUP_MESSAGE);
export type CreateOrganizationBody = z.output<typeof createOrganizationBody>;

export const updateOrganizationBody = z.strictObject({
  name: fields.name.optional(),
  npi: fields.npi,
  taxId: fields.taxId,
  addressLine: fields.addressLine.optional(),
  city: fields.city.optional(),
  state: state.optional(),
  zip9: zip9.optional(),
  submitterId: fields.submitterId,
  submitterName: fields.submitterName,
});

// ---- responses ----------------------------------------------------------------------------------

export const organizationResponse = z.object({
  id: z.string(),
  name: z.string(),
  npi: z.string().nullable(),
  taxId: z.string().nullable(),
  addressLine: z.string(),
  city: z.string(),
  state: z.string(),
  zip9: z.string(),
  submitterId: z.string().nullable(),
  submitterName: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601 instant'),
});
export const organizationListResponse = z.object({ items: z.array(organizationResponse) });
