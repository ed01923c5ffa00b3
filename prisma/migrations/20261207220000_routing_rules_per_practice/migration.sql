-- Routing rules per practice (#16): a practice's rule for a task kind overrides the rule for every practice
-- ("*"), which every existing rule becomes.

-- AlterTable
ALTER TABLE "RoutingRule" DROP CONSTRAINT "RoutingRule_pkey",
ADD COLUMN     "organizationId" TEXT NOT NULL DEFAULT '*',
ADD CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("organizationId", "kind", "payerGroup");
