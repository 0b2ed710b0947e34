/** The language server over real JSON-RPC: pull and push diagnostics, Terraform folders, code actions and resolve, cancellation, the time budget. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { resolveFixAll } from '../../../src/core/editor/codeActions';
import type { CodeLensProvider } from '../../../src/core/editor/codeLenses';
import { codeLensProviders } from '../../../src/core/editor/codeLenses';
import type { TestServer } from './harness';
import { pullClient, pushClient, startTestServer, workspaceText, workspaceUri } from './harness';

const NAT_ONLY = workspaceUri('cloudformation', 'nat-only.yaml');
const natOnlyText = workspaceText('cloudformation', 'nat-only.yaml');

function ruleAndRange(diagnostic: Diagnostic): [string, number, number, number, number] {
  const { start, end } = diagnostic.range;
  return [String(diagnostic.code), start.line, start.character, end.line, end.character];
}

async function pull(server: TestServer, uri: string): Promise<Diagnostic[]> {
  const report = await server.client.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

/** A template with many functions, so that its analysis takes a while. */
function largeTemplate(functions: number): string {
  const lines = ['Resources:', '  Subnet:', '    Type: AWS::EC2::Subnet', '    Properties:', '      CidrBlock: 10.0.0.0/24', '      Ipv6CidrBlock: 2001:db8::/64'];
  for (let i = 0; i < functions; i++) {
    lines.push(`  Fn${i}:`, '    Type: AWS::Lambda::Function', '    Properties:', '      VpcConfig:', '        SubnetIds: [!Ref Subnet]', '        SecurityGroupIds: [sg-1]');
  }
  return `${lines.join('\n')}\n`;
}

describe('the language server', () => {
  let server: TestServer;
  afterEach(() => server.dispose());

  it('pulls diagnostics with related information and the rule page link', async () => {
    server = await startTestServer(pullClient);
    server.open(NAT_ONLY, natOnlyText);
    const items = await pull(server, NAT_ONLY);
    assert.deepEqual(items.map(ruleAndRange), [
      ['IPV6N002', 23, 2, 23, 15],
      ['IPV6L001', 54, 6, 54, 15],
    ]);
    assert.deepEqual(items[1], {
      range: { start: { line: 54, character: 6 }, end: { line: 54, character: 15 } },
      severity: 2,
      source: 'ipv6-lambda',
      code: 'IPV6L001',
      codeDescription: { href: 'https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6L001.md' },
      message: 'Function Handler is in dual-stack subnet PrivateSubnet but Ipv6AllowedForDualStack is not set: it cannot reach IPv6 destinations.',
      relatedInformation: [{ location: { uri: NAT_ONLY, range: { start: { line: 12, character: 2 }, end: { line: 12, character: 15 } } }, message: 'Dual-stack subnet PrivateSubnet' }],
    });
    // Pulling unchanged text again answers from the kept analysis, identically.
    assert.deepEqual(await pull(server, NAT_ONLY), items);
  });

  it('pushes diagnostics to a client without pull support, again after each change', async () => {
    server = await startTestServer(pushClient);
    const first = server.nextPublished(NAT_ONLY);
    server.open(NAT_ONLY, natOnlyText);
    assert.deepEqual((await first).diagnostics.map(ruleAndRange), [
      ['IPV6N002', 23, 2, 23, 15],
      ['IPV6L001', 54, 6, 54, 15],
    ]);
    const second = server.nextPublished(NAT_ONLY);
    server.change(NAT_ONLY, 2, natOnlyText.replace('          - !Ref FunctionSecurityGroup\n', '          - !Ref FunctionSecurityGroup\n        Ipv6AllowedForDualStack: true\n'));
    assert.deepEqual((await second).diagnostics.map(ruleAndRange), [
      ['IPV6N002', 23, 2, 23, 15],
      ['IPV6S001', 57, 8, 57, 24],
    ]);
  });

  it('analyses a Terraform folder with the files read from disk, and pushes the findings of files that are not open', async () => {
    server = await startTestServer(pullClient);
    const lambda = workspaceUri('terraform', 'nat-only', 'lambda.tf');
    const network = workspaceUri('terraform', 'nat-only', 'network.tf');
    const pushed = server.nextPublished(network);
    server.open(lambda, workspaceText('terraform', 'nat-only', 'lambda.tf'), 'terraform');
    assert.deepEqual((await pull(server, lambda)).map(ruleAndRange), [['IPV6L001', 19, 2, 19, 12]]);
    assert.deepEqual((await pushed).diagnostics.map(ruleAndRange), [['IPV6N002', 16, 0, 16, 36]]);
    // Once open, network.tf is pulled: what was pushed to it is cleared.
    const cleared = server.nextPublished(network);
    server.open(network, workspaceText('terraform', 'nat-only', 'network.tf'), 'terraform');
    assert.deepEqual((await cleared).diagnostics, []);
    assert.deepEqual((await pull(server, network)).map(ruleAndRange), [['IPV6N002', 16, 0, 16, 36]]);
  });

  it('offers the quick fixes, a fix-all resolved on demand, and the suppression, in that order', async () => {
    server = await startTestServer(pullClient);
    server.open(NAT_ONLY, natOnlyText);
    const l001 = (await pull(server, NAT_ONLY)).find((diagnostic) => diagnostic.code === 'IPV6L001')!;
    const actions = await server.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: NAT_ONLY }, range: l001.range, context: { diagnostics: [l001], triggerKind: 2 } });
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred, action.edit !== undefined]),
      [
        ['Set Ipv6AllowedForDualStack to true on Handler', 'quickfix', true, true],
        ['Fix all IPv6 issues in this file', 'quickfix', undefined, false],
        ['Disable IPV6L001 for this line', 'quickfix', undefined, true],
      ],
    );
    assert.deepEqual(actions[0].edit, { changes: { [NAT_ONLY]: [{ range: { start: { line: 58, character: 38 }, end: { line: 58, character: 38 } }, newText: '\n        Ipv6AllowedForDualStack: true' }] } });
    assert.deepEqual(actions[2].edit, { changes: { [NAT_ONLY]: [{ range: { start: { line: 54, character: 0 }, end: { line: 54, character: 0 } }, newText: '      # ipv6-lambda-disable-next-line IPV6L001\n' }] } });
    assert.deepEqual(actions[1].data, { fixAll: { uri: NAT_ONLY, version: 1 } });
    const resolved = await server.client.sendRequest<CodeAction>('codeAction/resolve', actions[1]);
    const expected = await resolveFixAll({ format: 'cloudformation', files: [{ path: NAT_ONLY, text: natOnlyText }] });
    assert.deepEqual(resolved.edit, { changes: { [NAT_ONLY]: expected!.map(({ range, newText }) => ({ range, newText })) } });
    assert.match(expected![0].newText, /EgressOnlyInternetGatewayId: !Ref VpcEgressOnlyInternetGateway/);
  });

  it('computes the fix-all at once for a client that cannot resolve edits, and on save (source.fixAll.ipv6Lambda)', async () => {
    server = await startTestServer(pushClient);
    const published = server.nextPublished(NAT_ONLY);
    server.open(NAT_ONLY, natOnlyText);
    const l001 = (await published).diagnostics.find((diagnostic) => diagnostic.code === 'IPV6L001')!;
    const quickFixes = await server.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: NAT_ONLY }, range: l001.range, context: { diagnostics: [l001] } });
    const fixAll = quickFixes.find((action) => action.title === 'Fix all IPv6 issues in this file')!;
    const onSave = await server.client.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: NAT_ONLY },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.ipv6Lambda'] },
    });
    assert.deepEqual(onSave.map((action) => [action.title, action.kind]), [['Fix all IPv6 issues in this file', 'source.fixAll.ipv6Lambda']]);
    assert.ok(fixAll.edit);
    assert.deepEqual(onSave[0].edit, fixAll.edit);
  });

  it('cancels the analysis of a version that a newer one replaced', async () => {
    server = await startTestServer(pullClient);
    const text = largeTemplate(300);
    server.open(NAT_ONLY, text);
    const stale = server.client.sendRequest('textDocument/diagnostic', { textDocument: { uri: NAT_ONLY } });
    server.change(NAT_ONLY, 2, text.replace('  Fn0:\n', '  Renamed:\n'));
    const current = pull(server, NAT_ONLY);
    await assert.rejects(stale, (error: ResponseError<unknown>) => error.code === LSPErrorCodes.ServerCancelled);
    const items = await current;
    assert.equal(items.length, 300);
    assert.match(items[0].message, /^Function Renamed /);
  });

  it('abandons an analysis that runs past the time budget, says so once, and keeps serving', async () => {
    server = await startTestServer(pullClient, { settings: { ipv6Lambda: { analysis: { timeBudgetMs: 1 } } } });
    server.open(NAT_ONLY, largeTemplate(300));
    assert.deepEqual(await pull(server, NAT_ONLY), []);
    assert.deepEqual(await pull(server, NAT_ONLY), []);
    assert.equal(server.shown.length, 1);
    assert.match(server.shown[0], /^IPv6 Lambda: the analysis of file:.*nat-only\.yaml was abandoned after \d+ ms \(time budget 1 ms\); its diagnostics are not shown\. Raise ipv6Lambda\.analysis\.timeBudgetMs/);
    const json = workspaceUri('cloudformation', 'flag-without-ipv6.json');
    server.open(json, workspaceText('cloudformation', 'flag-without-ipv6.json'), 'json');
    await server.client.sendNotification('workspace/didChangeConfiguration', { settings: { ipv6Lambda: { analysis: { timeBudgetMs: 60_000 } } } });
    assert.deepEqual((await pull(server, json)).map(ruleAndRange), [['IPV6L002', 21, 10, 21, 41]]);
  });

  it('applies rule severities and turns diagnostics off from the settings', async () => {
    server = await startTestServer(pullClient, { settings: { ipv6Lambda: { rules: { IPV6N002: 'off', IPV6L001: 'error' } } } });
    server.open(NAT_ONLY, natOnlyText);
    const items = await pull(server, NAT_ONLY);
    assert.deepEqual(items.map((item) => [item.code, item.severity]), [['IPV6L001', 1]]);
    await server.client.sendNotification('workspace/didChangeConfiguration', { settings: { ipv6Lambda: { diagnostics: { enable: false } } } });
    assert.deepEqual(await pull(server, NAT_ONLY), []);
  });

  it('does not analyse excluded files', async () => {
    server = await startTestServer(pullClient, { settings: { ipv6Lambda: { exclude: ['**/cloudformation/**'] } } });
    server.open(NAT_ONLY, natOnlyText);
    assert.deepEqual(await pull(server, NAT_ONLY), []);
  });
});

describe('CodeLenses in the language server', () => {
  it('serves the lenses of the registered providers, and announces them only when there is one', async () => {
    // The migration's provider is registered by default: taken out to see a server without any.
    const registered = codeLensProviders.splice(0);
    try {
      const without = await startTestServer(pullClient);
      assert.equal(without.initializeResult.capabilities.codeLensProvider, undefined);
      without.dispose();
    } finally {
      codeLensProviders.push(...registered);
    }
    const provider: CodeLensProvider = async (unit, file) => [
      { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } }, title: `${unit.format} lens in ${path.basename(file)}`, command: { id: 'ipv6Lambda.example', arguments: [file] } },
    ];
    codeLensProviders.push(provider);
    const server = await startTestServer(pullClient);
    try {
      assert.deepEqual(server.initializeResult.capabilities.codeLensProvider, { resolveProvider: false });
      server.open(NAT_ONLY, natOnlyText);
      const lenses = await server.client.sendRequest('textDocument/codeLens', { textDocument: { uri: NAT_ONLY } });
      assert.deepEqual(lenses, [
        { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } }, command: { title: 'cloudformation lens in nat-only.yaml', command: 'ipv6Lambda.example', arguments: [NAT_ONLY] } },
      ]);
    } finally {
      codeLensProviders.splice(codeLensProviders.indexOf(provider), 1);
      server.dispose();
    }
  });
});
