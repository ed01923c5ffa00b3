export { claimLifecycle } from './claimLifecycle';
export { mailboxPoller } from './mailboxPoller';
