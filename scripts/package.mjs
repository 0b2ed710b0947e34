// `npm run package`: build, then pack ipv6-lambda-<version>.vsix with @vscode/vsce and print its size.
// The bundles carry every dependency, so node_modules stays out of the vsix (--no-dependencies).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `${name}-${version}.vsix`;
execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: root, stdio: 'inherit' });
const bytes = statSync(join(root, vsix)).size;
console.log(`${vsix}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
