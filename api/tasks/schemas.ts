// Request schemas of the task routes: completing, reassigning, prioritising and annotating a task.
import { z } from 'zod';
import { TASK_KINDS, type TaskAction } from '../../workflows/contract';
import { checkLinesAgainstDiagnoses, diagnoses, id, lines, text } from '../http/fields';

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
