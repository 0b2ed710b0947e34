/** The analysis half of the core, bundled as dist/analysis.js and loaded by the extension on first use. */
export { analyzeParsed } from './analyze';
export { analyzeUnit } from './analyzeUnit';
export type { AnalyzeOptions } from './analyze';
export { applyEdits, fixUnit, replaceWholeText } from './fixAll';
export { detectFormat, parseUnit } from './parse';
export { catalogue, catalogueEntry, isRuleId } from './rules';
export { enableIpv6Refactor } from './refactor';
export { cdkUnitOf, cloudFormationUnitOf, terraformUnitOf, unitKey, unitsContaining } from './units';
export { migrateVpc } from './migration/migrate';
export { MIGRATE_COMMAND, migrationActionAt, migrationForFunction, migrationLenses } from './migration/actions';
