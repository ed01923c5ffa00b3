-- An EHR is a machine caller of the /fhir routes, bound to its practices through User.organizationIds (#16).

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'EHR';
