import { describe, expect, it } from 'vitest';
import * as workflows from './index';
import { CLAIM_WORKFLOW_TYPE, claimIdForWorkflow, workflowIdForClaim } from './contract';

describe('the workflow contract', () => {
  it('names the workflow type the bundle exports, so that starts and visibility queries find it', () => {
    expect(Object.keys(workflows)).toContain(CLAIM_WORKFLOW_TYPE);
    expect(workflows.claimLifecycle.name).toBe(CLAIM_WORKFLOW_TYPE);
  });

  it('derives the workflow id from the claim id and back', () => {
    expect(workflowIdForClaim('CF12345')).toBe('claim-CF12345');
    expect(claimIdForWorkflow(workflowIdForClaim('CF12345'))).toBe('CF12345');
    expect(claimIdForWorkflow('patient-account-7')).toBeUndefined();
  });
});
