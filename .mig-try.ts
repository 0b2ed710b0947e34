import { readFileSync } from 'node:fs';
import { migrateUnit } from './src/core/migration/migrate';
import { analyzeParsed } from './src/core/analyze';
import { parseUnit } from './src/core/parse';
(async () => {
  const [format, ...paths] = process.argv.slice(2);
  const unit = { format: format as any, files: paths.map((p) => ({ path: p, text: readFileSync(p, 'utf8') })) };
  console.log(analyzeParsed(await parseUnit(unit)).map((f) => `${f.rule} ${f.message}`));
  const r = await migrateUnit(unit, {});
  console.log(JSON.stringify({ migrated: r.migrated.map((m) => [m.title, m.added]), refused: r.refused }, null, 1));
  for (const [p, t] of r.files) { console.log('=== ' + p); console.log(t); }
  const after = { format: unit.format, files: unit.files.map((f) => ({ path: f.path, text: r.files.get(f.path) ?? f.text })) };
  console.log('AFTER', analyzeParsed(await parseUnit(after)).map((f) => `${f.rule} ${f.message}`));
  const again = await migrateUnit(after, {});
  console.log('AGAIN', again.files.size, again.refused);
})();
