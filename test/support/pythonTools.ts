// Where scripts/setup-python.mjs put cfn-lint and moto_server (it installs them first when a test
// runs before `npm test`'s set-up stage did).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const repositoryRoot = path.resolve(__dirname, '..', '..');
let toolPaths: { cfnLint: string; motoServer: string } | undefined;

/** Where the Python tools are, installing them first when a test runs before `npm test`'s set-up. */
export function pythonToolPaths(): { cfnLint: string; motoServer: string } {
  toolPaths ??= JSON.parse(
    execFileSync(process.execPath, [path.join(repositoryRoot, 'scripts', 'setup-python.mjs'), '--paths'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  ) as { cfnLint: string; motoServer: string };
  return toolPaths;
}

