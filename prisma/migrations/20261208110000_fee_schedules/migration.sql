-- AlterTable
ALTER TABLE "ClaimLine" ADD COLUMN     "expectedAllowedCents" INTEGER;

-- CreateTable
CREATE TABLE "FeeScheduleRate" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "payerId" TEXT NOT NULL,
    "providerNpi" TEXT NOT NULL DEFAULT '',
    "procedureCode" TEXT NOT NULL,
    "modifier" TEXT NOT NULL DEFAULT '',
    "allowedCents" INTEGER NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "effectiveTo" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeeScheduleRate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FeeScheduleRate_organizationId_payerId_procedureCode_idx" ON "FeeScheduleRate"("organizationId", "payerId", "procedureCode");

-- CreateIndex
CREATE UNIQUE INDEX "FeeScheduleRate_organizationId_payerId_providerNpi_procedur_key" ON "FeeScheduleRate"("organizationId", "payerId", "providerNpi", "procedureCode", "modifier", "effectiveFrom");

-- AddForeignKey
ALTER TABLE "FeeScheduleRate" ADD CONSTRAINT "FeeScheduleRate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeeScheduleRate" ADD CONSTRAINT "FeeScheduleRate_payerId_fkey" FOREIGN KEY ("payerId") REFERENCES "Payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


