// How long `require('dist/extension.js')` takes — the part VS Code loads at activation (goal ≤ 30 ms).
// `vscode` is replaced by a stub that answers every property; the analysers and the AWS SDK are
// separate bundles that this must not load. Prints figures; never fails.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Module = require('node:module');

import { readFileSync } from 'node:fs';

function stub() {
  const target = function () {};
  return new Proxy(target, { get: (_t, key) => (key === Symbol.toPrimitive ? () => 0 : stub()), apply: () => stub(), construct: () => stub() });
}

/** The `vscode` module's top-level names (esbuild's interop copies the module's own keys). */
function vscodeStub() {
  const types = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...types.matchAll(/^\texport (?:namespace|class|enum|const|function) (\w+)/gm)].map((m) => m[1]);
  return Object.fromEntries(names.map((name) => [name, stub()]));
}
const vscode = vscodeStub();
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
};

const bundle = join(root, 'dist', 'extension.js');
const started = process.hrtime.bigint();
require(bundle);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const loaded = Object.keys(require.cache).filter((file) => !file.endsWith('extension.js'));
console.log(`require dist/extension.js: ${ms.toFixed(1)} ms (goal ≤ 30 ms); other modules loaded: ${loaded.length ? loaded.join(', ') : 'none'}`);
