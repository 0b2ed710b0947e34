/** `ipv6-lambda lsp --stdio`: the language server for any LSP editor (Neovim, Helix, Emacs, Zed…). */
import type { CliIo } from './io';

const HELP = `Usage: ipv6-lambda lsp --stdio

Runs the IPv6 for Lambda language server, speaking LSP on stdin/stdout: diagnostics (pushed, or
pulled by clients that support LSP 3.17 pull diagnostics), quick fixes, fix-all and the
"Enable IPv6 dual-stack" refactoring for CloudFormation/SAM, Terraform and CDK files. Logs go to
the client (window/logMessage). Settings are read with workspace/configuration (section
"ipv6Lambda"), or taken from initializationOptions ({"ipv6Lambda": {...}}).

Options:
  --stdio      speak LSP on stdin/stdout (required)
  -h, --help   show this help`;

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  if (!args.includes('--stdio')) {
    io.err(`ipv6-lambda lsp: say how to talk to the editor: --stdio.\n${HELP}`);
    return 2;
  }
  const { ProposedFeatures, createConnection } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { startServer } = require('../server/server') as typeof import('../server/server');
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // stdout carries the protocol: anything printed by accident goes to the client's log instead.
  console.log = (...values: unknown[]) => connection.console.log(values.map(String).join(' '));
  console.info = console.log;
  console.warn = (...values: unknown[]) => connection.console.warn(values.map(String).join(' '));
  console.error = (...values: unknown[]) => connection.console.error(values.map(String).join(' '));
  startServer(connection);
  // The connection ends the process on the client's `exit` notification or when stdin closes.
  return new Promise<number>(() => undefined);
}
