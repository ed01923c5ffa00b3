// All lifecycle activities, bound to their dependencies. The worker registers what this returns.
import type { ActivityDeps } from './deps';
import type { ClaimActivities } from '../workflows/activities';
import { appealActivities } from './appeals';
import { codingActivities } from './coding';
import { eligibilityActivities } from './eligibility';
import { postingActivities } from './posting';
import { readModelActivities } from './readModel';
import { scrubActivities } from './scrub';
import { submissionActivities } from './submission';
import { taskActivities } from './tasks';

export function createActivities(deps: ActivityDeps): ClaimActivities {
  return {
    ...readModelActivities(deps),
    ...codingActivities(deps),
    ...scrubActivities(deps),
    ...submissionActivities(deps),
    ...eligibilityActivities(deps),
    ...appealActivities(deps),
    ...postingActivities(deps),
    ...taskActivities(deps),
  };
}

export type { ActivityDeps } from './deps';
export type { ClaimActivities } from '../workflows/activities';
