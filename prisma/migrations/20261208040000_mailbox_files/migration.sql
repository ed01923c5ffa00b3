-- Files fetched from a clearinghouse's SFTP mailbox (#14): stored once per mailbox, name and content, before the
-- server archives them, then handed to the X12 intake from here.

-- CreateEnum
CREATE TYPE "MailboxFileState" AS ENUM ('RECEIVED', 'PROCESSED', 'FAILED');

-- CreateTable
CREATE TABLE "MailboxFile" (
    "id" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "folder" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "kind" TEXT NOT NULL,
    "state" "MailboxFileState" NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAs" TEXT,
    "archivedAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "MailboxFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MailboxFile_state_receivedAt_idx" ON "MailboxFile"("state", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailboxFile_mailbox_name_sha256_key" ON "MailboxFile"("mailbox", "name", "sha256");


