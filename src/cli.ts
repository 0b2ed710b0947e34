#!/usr/bin/env node
/**
 * `ipv6-lambda` — the same core as the extension, for terminals and CI.
 * Each subcommand lives in its own module under src/cli/ and is loaded only when used (require,
 * not import(), so that the same code runs bundled and from sources under mocha).
 */
import type { CliIo } from './cli/io';
import { consoleIo } from './cli/io';

const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[], io: CliIo): Promise<number> }> }> = {
  check: { summary: 'analyse CloudFormation/SAM, Terraform and CDK files', load: async () => require('./cli/check') as typeof import('./cli/check') },
  fix: { summary: 'apply the preferred fixes in place', load: async () => require('./cli/fix') as typeof import('./cli/fix') },
  migrate: { summary: 'migrate IPv4-only VPCs with functions to dual-stack, in place', load: async () => require('./cli/migrate') as typeof import('./cli/migrate') },
  scan: { summary: "report deployed functions' IPv6 status from an AWS account", load: async () => require('./cli/scan') as typeof import('./cli/scan') },
  enable: { summary: 'allow outbound IPv6 on deployed functions (asks first)', load: async () => require('./cli/enable') as typeof import('./cli/enable') },
  disable: { summary: 'turn outbound IPv6 off on deployed functions (asks first)', load: async () => require('./cli/disable') as typeof import('./cli/disable') },
  lsp: { summary: 'run the language server for LSP editors (--stdio)', load: async () => require('./cli/lsp') as typeof import('./cli/lsp') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`);
  return ['Usage: ipv6-lambda <command> [options]', '', 'Commands:', ...lines, '', 'Run `ipv6-lambda <command> --help` for its options.'].join('\n');
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`ipv6-lambda: unknown command '${name}'.\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest, io);
}

declare const VERSION: string;

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const debug = process.argv.includes('--debug');
      process.stderr.write(`ipv6-lambda: internal error: ${debug && error instanceof Error ? error.stack : String(error instanceof Error ? error.message : error)}\n`);
      process.exitCode = 2;
    },
  );
}
