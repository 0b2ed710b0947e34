import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogue } from '../../../src/core/rules';
import { docsUrl, projectUrl } from '../../../src/core/rules/links';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe("the project's web addresses", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };

  it("come from package.json's repository", () => {
    assert.equal(`${projectUrl}.git`, manifest.repository.url);
    assert.equal(docsUrl('IPV6N002'), `${projectUrl}/blob/main/docs/rules/IPV6N002.md`);
    assert.deepEqual(
      catalogue.map((entry) => entry.docsUrl),
      catalogue.map((entry) => `${projectUrl}/blob/main/docs/rules/${entry.id}.md`),
    );
  });

  it('are written nowhere else in the sources', () => {
    const host = new URL(projectUrl).host + new URL(projectUrl).pathname;
    assert.deepEqual(sourceFiles(path.join(ROOT, 'src')).filter((file) => fs.readFileSync(file, 'utf8').includes(host)).map((file) => path.relative(ROOT, file)), []);
  });

  it('point at pages that exist in docs/rules', () => {
    for (const entry of catalogue) assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'rules', `${entry.id}.md`)), entry.id);
  });
});
