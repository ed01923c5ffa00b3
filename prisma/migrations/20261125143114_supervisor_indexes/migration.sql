-- CreateIndex
CREATE INDEX "Encounter_dateOfService_idx" ON "Encounter"("dateOfService");

-- CreateIndex
CREATE INDEX "Task_status_dueAt_idx" ON "Task"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Task_status_doneAt_idx" ON "Task"("status", "doneAt");
