// `npm run package`: build, then pack the extension (ipv6-lambda-<version>.vsix, with @vscode/vsce) and
// the CLI's npm package (ipv6-lambda-<version>.tgz, what .npmignore lets in) and print their sizes.
// The bundles carry every dependency, so node_modules stays out of both (the package has no
// dependencies; the vsix is packed with --no-dependencies).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `${name}-${version}.vsix`;
execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: root, stdio: 'inherit' });
const [tarball] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json'], { cwd: root, encoding: 'utf8' }));
for (const file of [vsix, tarball.filename]) {
  const bytes = statSync(join(root, file)).size;
  console.log(`${file}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
}
console.log(`${tarball.filename} holds ${tarball.entryCount} files, ${(tarball.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked`);
