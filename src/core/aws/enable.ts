/**
 * Enable or disable outbound IPv6 (Ipv6AllowedForDualStack) on live Lambda functions — the one place
 * the product writes to an AWS account. Plan (reads only), show, confirm, then apply.
 */
export { planEnable } from './enable/plan';
export { applyPlan } from './enable/apply';
export { describeStep, formatPlan, toAwsCliCommands } from './enable/render';
export type * from './enable/types';
export { DEFAULT_TIMING } from './enable/types';
export { formatResultTable, outcomeWords, progressLine, resultSummary } from './enable/results';
