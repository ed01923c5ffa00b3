// Request and response schemas of the task routes: reading, completing, reassigning, prioritising and annotating a task.
import { z } from 'zod';
import { TASK_KINDS, type TaskAction } from '../../workflows/contract';
import { checkLinesAgainstDiagnoses, diagnoses, id, lines, text } from '../http/fields';
import { task, taskNote } from '../http/viewSchemas';

const ALL_TASK_ACTIONS = [...new Set(Object.values(TASK_KINDS).flatMap((k) => k.actions))] as [TaskAction, ...TaskAction[]];

export const completeTaskBody = z.strictObject({
  outcome: z
    .strictObject({
      action: z.enum(ALL_TASK_ACTIONS, `must be one of ${ALL_TASK_ACTIONS.join(', ')}`),
      diagnoses: diagnoses.optional(),
      lines: lines.optional(),
      note: text(2000).optional(),
      /** POSTING_EXCEPTION MATCH: the claim the payment belongs to */
      claimId: id.optional(),
    })
    .superRefine(checkLinesAgainstDiagnoses),
});
export type CompleteTaskBody = z.output<typeof completeTaskBody>;

export const reassignBody = z.strictObject({ userId: id });
export const bulkReassignBody = z.strictObject({
  taskIds: z
    .array(id)
    .min(1, 'at least one task id is required')
    .max(500, 'at most 500 tasks at once')
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a task id'),
  userId: id,
});
export const taskPriorityBody = z.strictObject({
  priority: z.int('must be a whole number').min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
});
export const taskNoteBody = z.strictObject({ body: text(4000) });

// ---- responses ----------------------------------------------------------------------------------
// A task and a note are built in api/http/views.ts and described beside it (api/http/viewSchemas.ts).

/** Taking, releasing, reassigning or re-prioritising a task answers it as it now is. */
export const taskResponse = task;
/** GET /api/tasks/:id: the task with its notes, oldest first. */
export const taskWithNotesResponse = task.extend({ notes: z.array(taskNote) });
export const taskNoteResponse = taskNote;
/** POST /api/tasks/reassign: the tasks as reassigned, in the order asked. */
export const taskListResponse = z.object({ items: z.array(task) });
