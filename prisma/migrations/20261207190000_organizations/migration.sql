-- Practices (#16): every patient, provider, encounter, claim and claim task belongs to an organization, and a
-- user sees only the organizations named in User.organizationIds ("*": all of them).

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "npi" TEXT,
    "taxId" TEXT,
    "addressLine" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zip9" TEXT NOT NULL,
    "submitterId" TEXT,
    "submitterName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- A database that already holds data gets one practice, "default", that owns all of it. Its billing address
-- is the one the 837P carried before (the CLAIMFLOW_BILLING_* defaults). Change it with PATCH
-- /api/organizations/default if those settings were set.
INSERT INTO "Organization" ("id", "name", "addressLine", "city", "state", "zip9")
SELECT 'default', 'Default practice', '100 MAIN ST', 'FAIRHAVEN', 'OR', '974010000'
WHERE EXISTS (SELECT 1 FROM "Provider") OR EXISTS (SELECT 1 FROM "Patient");

-- AlterTable: added empty, filled with the default practice, then required
ALTER TABLE "Claim" ADD COLUMN     "organizationId" TEXT;
ALTER TABLE "Encounter" ADD COLUMN     "organizationId" TEXT;
ALTER TABLE "Patient" ADD COLUMN     "organizationId" TEXT;
ALTER TABLE "Provider" ADD COLUMN     "organizationId" TEXT;
ALTER TABLE "Task" ADD COLUMN     "organizationId" TEXT;

UPDATE "Claim" SET "organizationId" = 'default';
UPDATE "Encounter" SET "organizationId" = 'default';
UPDATE "Patient" SET "organizationId" = 'default';
UPDATE "Provider" SET "organizationId" = 'default';
UPDATE "Task" SET "organizationId" = 'default' WHERE "claimId" IS NOT NULL;

ALTER TABLE "Claim" ALTER COLUMN "organizationId" SET NOT NULL;
ALTER TABLE "Encounter" ALTER COLUMN "organizationId" SET NOT NULL;
ALTER TABLE "Patient" ALTER COLUMN "organizationId" SET NOT NULL;
ALTER TABLE "Provider" ALTER COLUMN "organizationId" SET NOT NULL;

-- AlterTable: users who saw everything before still do
ALTER TABLE "User" ADD COLUMN     "organizationIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "User" SET "organizationIds" = ARRAY['*'];

-- CreateIndex
CREATE INDEX "Claim_organizationId_state_stateEnteredAt_idx" ON "Claim"("organizationId", "state", "stateEnteredAt");

-- CreateIndex
CREATE INDEX "Patient_organizationId_lastName_firstName_idx" ON "Patient"("organizationId", "lastName", "firstName");

-- CreateIndex
CREATE INDEX "Provider_organizationId_idx" ON "Provider"("organizationId");

-- CreateIndex
CREATE INDEX "Task_organizationId_queue_status_priority_dueAt_id_idx" ON "Task"("organizationId", "queue", "status", "priority" DESC, "dueAt", "id");

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;
