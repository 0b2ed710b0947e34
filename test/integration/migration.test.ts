import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeActionsAt, codeActionsFor, copyOfWorkspaceItem, expectDiagnostics, waitFor } from './helpers';

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

const M001 = { rule: 'IPV6M001', severity: 'info' as const, range: [134, 6, 134, 15] as [number, number, number, number] };

describe('migration to dual-stack in the editor', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('shows IPV6M001 on an IPv4-only template; its preferred fix migrates the VPC and leaves the document clean', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'ipv4-only.yaml');
    const editor = await open(uri);
    await expectDiagnostics(uri, [M001]);
    const actions = await codeActionsFor(uri, 'IPV6M001');
    const preferred = actions.filter((action) => action.isPreferred);
    assert.deepEqual(preferred.map((action) => action.title), ['Migrate VPC Vpc to dual-stack']);
    assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
    await expectDiagnostics(uri, []);
    const text = editor.document.getText();
    assert.match(text, /\n {2}VpcIpv6CidrBlock:\n {4}Type: AWS::EC2::VPCCidrBlock\n/);
    assert.match(text, /Ipv6CidrBlock: !Select \[1, !Cidr \[!Select \[0, !GetAtt Vpc\.Ipv6CidrBlocks\], 256, 64\]\]\n {4}DependsOn: VpcIpv6CidrBlock\n/);
    assert.match(text, /NatGatewayId: !Ref NatGateway\n/);
    assert.match(text, /\n {8}Ipv6AllowedForDualStack: true\n/);
  });

  it('offers "Migrate VPC Vpc to dual-stack" as a refactoring on the VPC resource', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'ipv4-only.yaml');
    await open(uri);
    await expectDiagnostics(uri, [M001]);
    const actions = await codeActionsAt(uri, new vscode.Range(7, 4, 7, 4), vscode.CodeActionKind.RefactorRewrite);
    const migrate = actions.find((action) => action.title === 'Migrate VPC Vpc to dual-stack');
    assert.ok(migrate?.edit, actions.map((action) => action.title).join(' | '));
    assert.equal(migrate.disabled, undefined);
  });

  it('shows a CodeLens above the IPv4-only VPC that runs the migration', async () => {
    const uri = await copyOfWorkspaceItem('cloudformation', 'ipv4-only.yaml');
    const editor = await open(uri);
    await expectDiagnostics(uri, [M001]);
    const lenses = await waitFor('the migration CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found?.find((lens) => lens.command?.command === 'ipv6Lambda.migrateVpc') ? found : undefined;
    });
    const lens = lenses.find((candidate) => candidate.command?.command === 'ipv6Lambda.migrateVpc')!;
    assert.equal(lens.command!.title, 'Migrate VPC Vpc to dual-stack (1 IPv4-only function behind NAT)');
    assert.equal(lens.range.start.line, 7);
    assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
    await expectDiagnostics(uri, []);
    assert.match(editor.document.getText(), /Type: AWS::EC2::EgressOnlyInternetGateway/);
  });
});
