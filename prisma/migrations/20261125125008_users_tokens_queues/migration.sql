/*
  Warnings:

  - You are about to drop the column `tokenHash` on the `User` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "Task_queue_status_priority_dueAt_idx";

-- DropIndex
DROP INDEX "User_tokenHash_key";

-- AlterTable
ALTER TABLE "Payer" ADD COLUMN     "payerGroup" TEXT;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "prioritySetAt" TIMESTAMP(3),
ADD COLUMN     "prioritySetById" TEXT;

-- AlterTable
ALTER TABLE "User" DROP COLUMN "tokenHash",
ADD COLUMN     "payerGroups" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "skills" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingRule" (
    "kind" TEXT NOT NULL,
    "payerGroup" TEXT NOT NULL DEFAULT '*',
    "queue" "TaskQueue" NOT NULL,
    "requiredSkill" TEXT,
    "slaDays" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("kind","payerGroup")
);

-- CreateTable
CREATE TABLE "TaskNote" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "TaskNote_taskId_createdAt_idx" ON "TaskNote"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "Task_queue_status_priority_dueAt_id_idx" ON "Task"("queue", "status", "priority" DESC, "dueAt", "id");

-- CreateIndex
CREATE INDEX "Task_assigneeId_status_priority_dueAt_id_idx" ON "Task"("assigneeId", "status", "priority" DESC, "dueAt", "id");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskNote" ADD CONSTRAINT "TaskNote_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskNote" ADD CONSTRAINT "TaskNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
