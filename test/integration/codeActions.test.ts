import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CodeAction } from 'vscode-languageclient';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, closeAllEditors, codeActionsAt, codeActionsFor, copyOfWorkspaceItem, expectDiagnostics, screenshot, waitFor } from './helpers';

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

function lines(editor: vscode.TextEditor, from: number, to: number): string[] {
  return editor.document.getText().split('\n').slice(from, to);
}

async function applyPreferred(uri: vscode.Uri, rule: string): Promise<vscode.CodeAction> {
  const actions = await codeActionsFor(uri, rule);
  const preferred = actions.filter((action) => action.isPreferred);
  assert.equal(preferred.length, 1, `one preferred fix for ${rule}: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
  return preferred[0];
}

describe('quick fixes in the editor', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('CloudFormation: offers the IPV6L001 fix as preferred, with fix-all and suppression, and applying it clears the finding', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'nat-only.yaml');
    const editor = await open(uri);
    await expectDiagnostics(uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    const titles = (await codeActionsFor(uri, 'IPV6L001')).map((action) => action.title);
    assert.deepEqual(titles, ['Set Ipv6AllowedForDualStack to true on Handler', 'Fix all IPv6 issues in this file', 'Disable IPV6L001 for this line']);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await screenshot('quick-fix-menu');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await applyPreferred(uri, 'IPV6L001');
    assert.deepEqual(lines(editor, 54, 60), [
      '      VpcConfig:',
      '        SubnetIds:',
      '          - !Ref PrivateSubnet',
      '        SecurityGroupIds:',
      '          - !Ref FunctionSecurityGroup',
      '        Ipv6AllowedForDualStack: true',
    ]);
    // With the flag on, the security group's missing IPv6 egress is what is left for the function.
    await expectDiagnostics(uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6S001', severity: 'warning', range: [57, 8, 57, 24] },
    ]);
  });

  it('CloudFormation: fix-all on save adds the EIGW, the ::/0 route, the flag and IPv6 egress', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'nat-only.yaml');
    const editor = await open(uri);
    await expectDiagnostics(uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    // test/workspace/.vscode/settings.json turns on source.fixAll.ipv6Lambda on save for YAML.
    const onSave = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' }).get('codeActionsOnSave');
    assert.deepEqual(onSave, { 'source.fixAll.ipv6Lambda': 'explicit' });
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), '# fix me on save\n'));
    await editor.document.save();
    await expectDiagnostics(uri, []);
    const text = editor.document.getText();
    assert.match(text, /\n {2}VpcEgressOnlyInternetGateway:\n {4}Type: AWS::EC2::EgressOnlyInternetGateway\n {4}Properties:\n {6}VpcId: !Ref Vpc\n/);
    assert.match(text, /\n {6}DestinationIpv6CidrBlock: '::\/0'\n {6}EgressOnlyInternetGatewayId: !Ref VpcEgressOnlyInternetGateway\n/);
    assert.match(text, /\n {8}Ipv6AllowedForDualStack: true\n/);
    assert.match(text, /\n {10}CidrIpv6: '?::\/0'?\n/);
  });

  it('Terraform: the IPV6L001 fix inserts the flag aligned as terraform fmt would', async () => {
    const folder = await copyOfWorkspaceItem('terraform', 'nat-only');
    const uri = vscode.Uri.joinPath(folder, 'lambda.tf');
    const editor = await open(uri);
    await expectDiagnostics(uri, [{ rule: 'IPV6L001', severity: 'warning', range: [19, 2, 19, 12] }]);
    await applyPreferred(uri, 'IPV6L001');
    assert.deepEqual(lines(editor, 19, 24), [
      '  vpc_config {',
      '    subnet_ids                  = aws_subnet.private[*].id',
      '    security_group_ids          = [aws_security_group.fn.id]',
      '    ipv6_allowed_for_dual_stack = true',
      '  }',
    ]);
    await expectDiagnostics(uri, [{ rule: 'IPV6S001', severity: 'warning', range: [21, 4, 21, 22] }]);
  });

  it('CDK TypeScript: the IPV6L001 fix sets the flag and allowAllIpv6Outbound', async () => {
    const uri = await copyOfWorkspaceItem('cdk', 'stack.ts');
    const editor = await open(uri);
    await expectDiagnostics(uri, [{ rule: 'IPV6L001', severity: 'warning', range: [13, 6, 13, 9] }]);
    await applyPreferred(uri, 'IPV6L001');
    assert.deepEqual(lines(editor, 13, 17), ['      vpc,', '      ipv6AllowedForDualStack: true,', '      allowAllIpv6Outbound: true,', '    });']);
    await expectDiagnostics(uri, []);
  });

  it('CDK Python: IPV6L002 offers setting the flag false and making the VPC dual-stack', async () => {
    const uri = await copyOfWorkspaceItem('cdk', 'stack.py');
    const editor = await open(uri);
    await expectDiagnostics(uri, [
      { rule: 'IPV6S001', severity: 'warning', range: [14, 12, 14, 15] },
      { rule: 'IPV6L002', severity: 'error', range: [15, 12, 15, 44] },
    ]);
    const actions = await codeActionsFor(uri, 'IPV6L002');
    const makeDualStack = actions.find((action) => action.title === 'Make VPC Vpc dual-stack');
    assert.ok(makeDualStack, actions.map((a) => a.title).join(' | '));
    assert.equal(makeDualStack.isPreferred, false);
    assert.ok(await vscode.workspace.applyEdit(makeDualStack.edit!));
    assert.equal(editor.document.lineAt(7).text, '        vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)');
    await expectDiagnostics(uri, [{ rule: 'IPV6S001', severity: 'warning', range: [14, 12, 14, 15] }]);
  });

  it('a disable-next-line quick fix suppresses the finding', async () => {
    const uri = await copyOfWorkspaceItem('cdk', 'stack.ts');
    const editor = await open(uri);
    await expectDiagnostics(uri, [{ rule: 'IPV6L001', severity: 'warning', range: [13, 6, 13, 9] }]);
    const disable = (await codeActionsFor(uri, 'IPV6L001')).find((action) => action.title === 'Disable IPV6L001 for this line')!;
    assert.ok(await vscode.workspace.applyEdit(disable.edit!));
    assert.equal(editor.document.lineAt(13).text, '      // ipv6-lambda-disable-next-line IPV6L001');
    await expectDiagnostics(uri, []);
  });

  it('the Terraform snippet inserts a dual-stack function that analyses clean', async () => {
    const folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'scratch-snippet');
    const uri = vscode.Uri.joinPath(folder, 'main.tf');
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    const editor = await open(uri);
    assert.equal(editor.document.languageId, 'terraform');
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'terraform', name: 'IPv6 Lambda: dual-stack function with egress-only internet gateway' });
    await waitFor('the snippet text', () => (editor.document.getText().includes('ipv6_allowed_for_dual_stack = true') ? true : undefined));
    await editor.document.save();
    assert.match(editor.document.getText(), /resource "aws_egress_only_internet_gateway" "main"/);
    // Proof that the file is analysed: turning the flag off makes IPV6L001 appear, turning it on clears it.
    const flagLine = editor.document.getText().split('\n').findIndex((line) => line.includes('ipv6_allowed_for_dual_stack = true'));
    const valueAt = editor.document.lineAt(flagLine).text.indexOf('true');
    await editor.edit((edit) => edit.replace(new vscode.Range(flagLine, valueAt, flagLine, valueAt + 4), 'false'));
    const vpcConfigLine = flagLine - 3;
    await expectDiagnostics(uri, [{ rule: 'IPV6L001', severity: 'warning', range: [vpcConfigLine, 2, vpcConfigLine, 12] }]);
    await editor.edit((edit) => edit.replace(new vscode.Range(flagLine, valueAt, flagLine, valueAt + 5), 'true'));
    await expectDiagnostics(uri, []);
  });
});

describe('the "Enable IPv6 dual-stack for this function" refactoring in the editor', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  async function refactorings(uri: vscode.Uri, line: number, character: number): Promise<vscode.CodeAction[]> {
    const position = new vscode.Position(line, character);
    return codeActionsAt(uri, new vscode.Range(position, position), vscode.CodeActionKind.RefactorRewrite);
  }

  it('makes the CDK VPC dual-stack when no rule would have offered it', async () => {
    const uri = await copyOfWorkspaceItem('cdk', 'stack.py');
    const editor = await open(uri);
    // A request made while the first analysis lands is cancelled by VS Code, as a user's would be.
    await expectDiagnostics(uri, [
      { rule: 'IPV6S001', severity: 'warning', range: [14, 12, 14, 15] },
      { rule: 'IPV6L002', severity: 'error', range: [15, 12, 15, 44] },
    ]);
    const [refactor] = await refactorings(uri, 9, 10);
    assert.equal(refactor.title, 'Enable IPv6 dual-stack for Api');
    assert.equal(refactor.disabled, undefined);
    assert.ok(await vscode.workspace.applyEdit(refactor.edit!));
    assert.equal(editor.document.lineAt(7).text, '        vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)');
    await expectDiagnostics(uri, [{ rule: 'IPV6S001', severity: 'warning', range: [14, 12, 14, 15] }]);
  });

  it('is disabled with the reason when the subnets cannot be made dual-stack in the file', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'flag-without-ipv6.json');
    await open(uri);
    await expectDiagnostics(uri, [{ rule: 'IPV6L002', severity: 'error', range: [21, 10, 21, 41] }]);
    // The workbench lists disabled actions only in its refactor menu, so ask the language server itself.
    const api = (await activateExtension()).exports as ExtensionApi;
    const { client } = await api.languageServer.client();
    const position = { line: 18, character: 10 };
    const [refactor] = await client.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri.toString() },
      range: { start: position, end: position },
      context: { diagnostics: [], only: ['refactor.rewrite'], triggerKind: 1 /* invoked */ },
    });
    assert.equal(refactor.title, 'Enable IPv6 dual-stack for Worker');
    assert.match(refactor.disabled!.reason, /Ipv4Subnet has no IPv6 CIDR/);
  });
});
