-- Search (#16): keys beside names and member ids that the search box matches through plain B-tree indexes
-- (domain/search.ts nameKey and memberIdKey), and indexes for a patient's claims and a date of service's claims.

-- AlterTable
ALTER TABLE "Coverage" ADD COLUMN     "memberIdKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "firstNameKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastNameKey" TEXT NOT NULL DEFAULT '';

-- Rows from before: the same keys as the application writes for names and member ids without accents (an accented
-- letter is dropped here, where the application folds it to its base letter).
UPDATE "Patient" SET "lastNameKey" = lower(regexp_replace("lastName", '[^A-Za-z0-9]', '', 'g')),
                     "firstNameKey" = lower(regexp_replace("firstName", '[^A-Za-z0-9]', '', 'g'));
UPDATE "Coverage" SET "memberIdKey" = upper(regexp_replace("memberId", '[^A-Za-z0-9]', '', 'g'));

-- CreateIndex
CREATE INDEX "Claim_patientId_createdAt_idx" ON "Claim"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "Claim_encounterId_idx" ON "Claim"("encounterId");

-- CreateIndex
CREATE INDEX "Coverage_memberIdKey_idx" ON "Coverage"("memberIdKey");

-- CreateIndex
CREATE INDEX "Patient_lastNameKey_firstNameKey_idx" ON "Patient"("lastNameKey", "firstNameKey");

-- CreateIndex
CREATE INDEX "Patient_firstNameKey_idx" ON "Patient"("firstNameKey");

-- CreateIndex
CREATE INDEX "Patient_birthDate_idx" ON "Patient"("birthDate");
