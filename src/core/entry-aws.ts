/** The AWS half of the core, bundled as dist/aws.js (with the SDK) and loaded on first use. */
export { readAccount, reportRegion } from './aws/account';
export { accountId, profilesOfSsoSession } from './aws/accounts';
export { defaultRegion, listProfiles } from './aws/clients';
export { describeAwsError } from './aws/errors';
export { regionView } from './aws/functionViews';
export { createClients } from './aws/clients';
export { applyPlan, formatPlan, formatResultTable, planEnable, progressLine, resultSummary, toAwsCliCommands } from './aws/enable';
