import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, expectDiagnostics, workspaceFile, type DiagnosticSummary } from './helpers';

/** A fresh copy of a unit-test fixture folder in the workspace, so that a test may edit it. */
async function copyOfFixture(extensionPath: string, ...segments: string[]): Promise<vscode.Uri> {
  const target = workspaceFile('scratch-projects', ...segments);
  await vscode.workspace.fs.copy(vscode.Uri.file(path.join(extensionPath, 'test', 'fixtures', ...segments)), target, { overwrite: true });
  return target;
}

describe('project units in the editor', () => {
  let root: vscode.Uri;
  before(async () => {
    const extension = await activateExtension();
    root = await copyOfFixture(extension.extensionPath, 'terraform', 'local-module');
  });
  afterEach(closeAllEditors);

  const l001AtVpcConfig: DiagnosticSummary = { rule: 'IPV6L001', severity: 'warning', range: [12, 2, 12, 12] };

  it('analyses a Terraform module file in the root that calls it, and reports in the root file', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'modules', 'network', 'outputs.tf')));
    await expectDiagnostics(vscode.Uri.joinPath(root, 'main.tf'), [l001AtVpcConfig]);
  });

  it('updates the root file as you type in the module, and clears both once every file is closed', async () => {
    const rootFile = vscode.Uri.joinPath(root, 'main.tf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(rootFile));
    await expectDiagnostics(rootFile, [l001AtVpcConfig]);
    const module = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'modules', 'network', 'main.tf')), { preview: false });
    // Without its IPv6 CIDR the module's subnet is IPv4-only: the root's function is no longer ready.
    const ipv6Line = module.document.lineAt(9);
    await module.edit((edit) => edit.delete(ipv6Line.rangeIncludingLineBreak));
    await expectDiagnostics(rootFile, []);
    await module.edit((edit) => edit.insert(new vscode.Position(9, 0), ipv6Line.text + '\n'));
    await expectDiagnostics(rootFile, [l001AtVpcConfig]);
    await closeAllEditors();
    await expectDiagnostics(rootFile, [], 20_000);
  });
});
