// Bundles the extension, its lazily loaded parts and the CLI with esbuild.
// dist/extension.js stays small: the language client and the AWS SDK live in their own bundles and
// are required on first use (see src/vscode/lazy.ts); the analysers run in dist/server.js.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const watch = process.argv.includes('--watch');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/** Paths of files in packages that do not export them, found on disk. */
function packageFile(pkg, file) {
  for (const folder of require.resolve.paths(pkg) ?? []) {
    const candidate = join(folder, pkg, file);
    try {
      statSync(candidate);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${pkg}/${file} not found: run npm ci`);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // jsonc-parser's UMD build fails at run time once bundled; its ESM build does not.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build crashes in Parser.init when bundled to CommonJS.
  alias: { 'web-tree-sitter': packageFile('web-tree-sitter', 'web-tree-sitter.cjs') },
  define: { VERSION: JSON.stringify(version) },
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  { entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The SDK's EC2 schemas alone are ~1 MB of source; minified bundles keep the vsix small.
  { entryPoints: { aws: 'src/core/aws/bundle.ts' }, outdir: 'dist', minify: true },
  // The language client, loaded when the first infrastructure document opens (src/vscode/languageServer.ts).
  { entryPoints: { client: 'src/vscode/languageClient.ts' }, outdir: 'dist', external: ['vscode'], minify: true },
  // The language server: every analyser, in its own process (VS Code) or behind `ipv6-lambda lsp --stdio`.
  { entryPoints: { server: 'src/server/main.ts' }, outdir: 'dist', minify: true },
  // src/cli.ts starts with its shebang, which esbuild keeps.
  { entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', minify: true },
  {
    entryPoints: ['test/integration/*.ts'],
    outdir: 'out/test/integration',
    external: ['vscode', 'mocha'],
  },
  { entryPoints: { hostStall: 'bench/hostStall.ts' }, outdir: 'out/bench', external: ['vscode'] },
];

const wasmFiles = [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['@tree-sitter-grammars/tree-sitter-hcl', 'tree-sitter-terraform.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
];

function copyWasm() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const [pkg, file] of wasmFiles) copyFileSync(packageFile(pkg, file), join(root, 'dist', file));
}

if (watch) {
  copyWasm();
  for (const options of builds) {
    const context = await esbuild.context({ ...common, ...options });
    await context.watch();
  }
  console.log('watching src/ and test/integration/ …');
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'out'), { recursive: true, force: true });
  copyWasm();
  await Promise.all(builds.map((options) => esbuild.build({ ...common, ...options })));
}
