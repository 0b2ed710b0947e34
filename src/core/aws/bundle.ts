/** The AWS half of the core, bundled as dist/aws.js (with the SDK) and loaded on first use. */
export { readAccount, reportRegion } from './account';
export { accountIdentity, profilesOfSsoSession } from './accounts';
export { defaultRegion, listProfiles } from './clients';
export { describeAwsError } from './errors';
export { regionView } from './functionViews';
export { createClients } from './clients';
export { applyPlan, formatPlan, formatResultTable, planEnable, progressLine, resultSummary, toAwsCliCommands } from './enable';
