/**
 * dist/server.js: the language server as VS Code starts it (node IPC), or over stdio, a socket or
 * a pipe as `createConnection` reads them from the command line (`--stdio`, `--socket=N`, `--pipe=…`).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// A defect in one analysis must not take the server down: log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`internal error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
startServer(connection);
