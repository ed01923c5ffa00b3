export { claimLifecycle } from './claimLifecycle';
