-- Eligibility (270/271) results per coverage and date of service, the cache the lifecycle and the claim page read (#14).

-- CreateTable
CREATE TABLE "EligibilityCheck" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "coverageId" TEXT NOT NULL,
    "dateOfService" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "advice" TEXT,
    "plan" JSONB NOT NULL,
    "benefits" JSONB NOT NULL,
    "reasons" TEXT[],
    "coverageFingerprint" TEXT NOT NULL,
    "requestInterchangeNo" INTEGER NOT NULL,
    "requestControlNumber" TEXT NOT NULL,
    "responseControlNumber" TEXT,
    "claimId" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedBy" TEXT NOT NULL,

    CONSTRAINT "EligibilityCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EligibilityCheck_organizationId_checkedAt_idx" ON "EligibilityCheck"("organizationId", "checkedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EligibilityCheck_coverageId_dateOfService_key" ON "EligibilityCheck"("coverageId", "dateOfService");

-- AddForeignKey
ALTER TABLE "EligibilityCheck" ADD CONSTRAINT "EligibilityCheck_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EligibilityCheck" ADD CONSTRAINT "EligibilityCheck_coverageId_fkey" FOREIGN KEY ("coverageId") REFERENCES "Coverage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


