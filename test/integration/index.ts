// Loaded by the VS Code extension host (extensionTestsPath): runs every *.test.js next to it.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { screenshot } from './helpers';

export function run(): Promise<void> {
  // The tests' own SDK clients (the local endpoint) would warn about Node 20 on every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.IPV6_LAMBDA_TEST_GREP;
  if (grep) mocha.grep(grep);
  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const test = this.currentTest;
      if (test?.state === 'failed') await screenshot(`failed-${test.fullTitle()}`);
    },
  });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  // The harness prints the page's console to the terminal from here on.
  console.log('__ipv6_lambda_suite_start__');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
