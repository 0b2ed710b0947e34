import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, expectDiagnostics, extensionId, openDocument, screenshot, sleep, waitFor, workspaceFile } from './helpers';

describe('diagnostics in the editor', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('flags a CloudFormation function in dual-stack subnets and its NAT-only route table', async () => {
    const editor = await openDocument('cloudformation', 'nat-only.yaml');
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    const l001 = vscode.languages.getDiagnostics(editor.document.uri).find((d) => typeof d.code === 'object' && d.code.value === 'IPV6L001')!;
    assert.equal(l001.source, 'ipv6-lambda');
    assert.equal((l001.code as { target: vscode.Uri }).target.toString(true), 'command:ipv6Lambda.openRulePage?["IPV6L001"]');
    assert.match(l001.message, /Handler/);
    assert.deepEqual(
      l001.relatedInformation?.map((r) => [r.location.uri.toString(), r.location.range.start.line]),
      [[editor.document.uri.toString(), 12]],
    );
    await screenshot('diagnostics-cloudformation');
  });

  it("opens the bundled page of a diagnostic's rule in the Markdown preview when its code link is followed", async () => {
    const editor = await openDocument('cloudformation', 'nat-only.yaml');
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    const n002 = vscode.languages.getDiagnostics(editor.document.uri).find((d) => typeof d.code === 'object' && d.code.value === 'IPV6N002')!;
    const link = (n002.code as { target: vscode.Uri }).target;
    // What the Problems panel does with a command link: run the command with the link's arguments.
    assert.equal(link.scheme, 'command');
    await vscode.commands.executeCommand(link.path, ...(JSON.parse(link.query) as unknown[]));
    const preview = await waitFor('the Markdown preview of IPV6N002.md', () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview') && tab.label.includes('IPV6N002.md')),
    );
    assert.ok(preview.isActive);
    const extensionRoot = vscode.extensions.getExtension(extensionId)!.extensionUri;
    // The preview's tab can show before it has read the page.
    const page = await waitFor('the previewed page, read as a document', () => vscode.workspace.textDocuments.find((document) => document.uri.path.endsWith('/docs/rules/IPV6N002.md')));
    assert.equal(page.uri.toString(), vscode.Uri.joinPath(extensionRoot, 'docs', 'rules', 'IPV6N002.md').toString());
    assert.match(page.getText(), /^# IPV6N002/m);
    await screenshot('rule-page-preview');
  });

  it('updates as you type: setting the flag clears IPV6L001 and reveals IPV6S001', async () => {
    const editor = await openDocument('cloudformation', 'nat-only.yaml');
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    await editor.edit((edit) => edit.insert(new vscode.Position(55, 0), '        Ipv6AllowedForDualStack: true\n'));
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6S001', severity: 'warning', range: [58, 8, 58, 24] },
    ]);
  });

  it('honours a disable-next-line comment', async () => {
    const editor = await openDocument('cloudformation', 'nat-only.yaml');
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    await editor.edit((edit) => edit.insert(new vscode.Position(54, 0), '      # ipv6-lambda-disable-next-line IPV6L001\n'));
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] }]);
  });

  it('reports the flag on IPv4-only subnets in a JSON template', async () => {
    const editor = await openDocument('cloudformation', 'flag-without-ipv6.json');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L002', severity: 'error', range: [21, 10, 21, 41] }]);
  });

  it('reads a SAM template whose flow mapping closes at the key indentation, as CloudFormation does', async () => {
    const editor = await openDocument('cloudformation', 'sam-event-flow.yaml');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L001', severity: 'warning', range: [33, 6, 33, 15] }]);
  });

  it('ignores YAML files that are not CloudFormation templates', async () => {
    const editor = await openDocument('cloudformation', 'not-a-template.yaml');
    await sleep(1000);
    await expectDiagnostics(editor.document.uri, [], 100);
  });

  it('analyses a Terraform folder as one module and puts each finding in its own file', async () => {
    const editor = await openDocument('terraform', 'nat-only', 'lambda.tf');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L001', severity: 'warning', range: [19, 2, 19, 12] }]);
    await expectDiagnostics(workspaceFile('terraform', 'nat-only', 'network.tf'), [{ rule: 'IPV6N002', severity: 'warning', range: [16, 0, 16, 36] }]);
  });

  it('flags a CDK TypeScript function in a dual-stack VPC', async () => {
    const editor = await openDocument('cdk', 'stack.ts');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L001', severity: 'warning', range: [13, 6, 13, 9] }]);
  });

  it('flags a CDK Python function that sets the flag in an IPv4-only VPC', async () => {
    const editor = await openDocument('cdk', 'stack.py');
    await expectDiagnostics(editor.document.uri, [
      { rule: 'IPV6S001', severity: 'warning', range: [14, 12, 14, 15] },
      { rule: 'IPV6L002', severity: 'error', range: [15, 12, 15, 44] },
    ]);
  });

  it('clears a document’s diagnostics when it closes', async () => {
    const editor = await openDocument('cloudformation', 'flag-without-ipv6.json');
    const uri = editor.document.uri;
    await expectDiagnostics(uri, [{ rule: 'IPV6L002', severity: 'error', range: [21, 10, 21, 41] }]);
    await closeAllEditors();
    // VS Code keeps a closed document around for a while; the close event is what clears.
    await expectDiagnostics(uri, [], 20_000);
  });

  it('turns a rule off from the settings', async () => {
    const editor = await openDocument('cloudformation', 'flag-without-ipv6.json');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L002', severity: 'error', range: [21, 10, 21, 41] }]);
    const settings = vscode.workspace.getConfiguration('ipv6Lambda');
    await settings.update('rules', { IPV6L002: 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await expectDiagnostics(editor.document.uri, []);
      await settings.update('rules', { IPV6L002: 'info' }, vscode.ConfigurationTarget.Workspace);
      await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L002', severity: 'info', range: [21, 10, 21, 41] }]);
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
