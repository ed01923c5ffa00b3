/*
  Warnings:

  - A unique constraint covering the columns `[remittanceId,claimId,sequence]` on the table `ClaimPayment` will be added. If there are existing duplicate values, this will fail.

*/
-- DropForeignKey
ALTER TABLE "Task" DROP CONSTRAINT "Task_claimId_fkey";

-- DropIndex
DROP INDEX "ClaimPayment_remittanceId_claimId_key";

-- AlterTable
ALTER TABLE "ClaimPayment" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Task" ALTER COLUMN "claimId" DROP NOT NULL,
ALTER COLUMN "workflowId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ProviderAdjustment" (
    "id" TEXT NOT NULL,
    "remittanceId" TEXT NOT NULL,
    "providerId" TEXT,
    "fiscalPeriodDate" DATE,
    "reasonCode" TEXT NOT NULL,
    "referenceId" TEXT,
    "amountCents" INTEGER NOT NULL,

    CONSTRAINT "ProviderAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnmatchedClaimPayment" (
    "id" TEXT NOT NULL,
    "remittanceId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "claimRef" TEXT NOT NULL,
    "statusCode" TEXT NOT NULL,
    "chargeCents" INTEGER NOT NULL,
    "paidCents" INTEGER NOT NULL,
    "patientRespCents" INTEGER NOT NULL,
    "payerClaimControlNo" TEXT,
    "adjustments" JSONB NOT NULL,
    "lines" JSONB NOT NULL,
    "claimPaymentId" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,

    CONSTRAINT "UnmatchedClaimPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderAdjustment_remittanceId_idx" ON "ProviderAdjustment"("remittanceId");

-- CreateIndex
CREATE UNIQUE INDEX "UnmatchedClaimPayment_claimPaymentId_key" ON "UnmatchedClaimPayment"("claimPaymentId");

-- CreateIndex
CREATE UNIQUE INDEX "UnmatchedClaimPayment_remittanceId_sequence_key" ON "UnmatchedClaimPayment"("remittanceId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimPayment_remittanceId_claimId_sequence_key" ON "ClaimPayment"("remittanceId", "claimId", "sequence");

-- AddForeignKey
ALTER TABLE "ProviderAdjustment" ADD CONSTRAINT "ProviderAdjustment_remittanceId_fkey" FOREIGN KEY ("remittanceId") REFERENCES "Remittance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnmatchedClaimPayment" ADD CONSTRAINT "UnmatchedClaimPayment_remittanceId_fkey" FOREIGN KEY ("remittanceId") REFERENCES "Remittance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnmatchedClaimPayment" ADD CONSTRAINT "UnmatchedClaimPayment_claimPaymentId_fkey" FOREIGN KEY ("claimPaymentId") REFERENCES "ClaimPayment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;
