-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'CLEARINGHOUSE';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "payerIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "address" TEXT,
ADD COLUMN     "tokenId" TEXT;
