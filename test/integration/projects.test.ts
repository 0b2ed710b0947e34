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
  let stacks: vscode.Uri;
  let service: vscode.Uri;
  let cdkApp: vscode.Uri;
  before(async () => {
    const extension = await activateExtension();
    root = await copyOfFixture(extension.extensionPath, 'terraform', 'local-module');
    stacks = await copyOfFixture(extension.extensionPath, 'cloudformation', 'import-export');
    service = await copyOfFixture(extension.extensionPath, 'serverless', 'service');
    cdkApp = await copyOfFixture(extension.extensionPath, 'cdk-apps', 'typescript');
  });
  afterEach(closeAllEditors);

  const l001AtVpcConfig: DiagnosticSummary = { rule: 'IPV6L001', severity: 'warning', range: [12, 2, 12, 12] };

  it('analyses a Terraform module file in the root that calls it, and reports in the root file', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'modules', 'network', 'outputs.tf')));
    await expectDiagnostics(vscode.Uri.joinPath(root, 'main.tf'), [l001AtVpcConfig]);
  });

  /**
   * Opens `watched`, deletes line `line` of `edited` (which makes the watched finding go) and puts it
   * back, then closes every file: the watched file's diagnostics follow each step.
   */
  async function expectEditsToReach(watched: vscode.Uri, finding: DiagnosticSummary, edited: vscode.Uri, line: number): Promise<void> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(watched));
    await expectDiagnostics(watched, [finding]);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(edited), { preview: false });
    const deleted = editor.document.lineAt(line);
    await editor.edit((edit) => edit.delete(deleted.rangeIncludingLineBreak));
    await expectDiagnostics(watched, []);
    await editor.edit((edit) => edit.insert(new vscode.Position(line, 0), deleted.text + '\n'));
    await expectDiagnostics(watched, [finding]);
    await closeAllEditors();
    await expectDiagnostics(watched, [], 20_000);
  }

  it('updates the root file as you type in the module, and clears both once every file is closed', async () => {
    // Without its IPv6 CIDR (line 9) the module's subnet is IPv4-only: the root's function is no longer ready.
    await expectEditsToReach(vscode.Uri.joinPath(root, 'main.tf'), l001AtVpcConfig, vscode.Uri.joinPath(root, 'modules', 'network', 'main.tf'), 9);
  });

  it('updates a template’s diagnostics as you edit the template whose export it imports', async () => {
    // Without its IPv6 CIDR (line 18) the exported subnet is IPv4-only.
    const l001 = { rule: 'IPV6L001', severity: 'warning', range: [11, 6, 11, 15] } satisfies DiagnosticSummary;
    await expectEditsToReach(vscode.Uri.joinPath(stacks, 'api.yaml'), l001, vscode.Uri.joinPath(stacks, 'network.yaml'), 18);
  });

  it('flags a Serverless Framework service at the provider’s vpc and a function’s own flag', async () => {
    const file = vscode.Uri.joinPath(service, 'serverless.yml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await expectDiagnostics(file, [
      { rule: 'IPV6L001', severity: 'warning', range: [6, 2, 6, 5] },
      { rule: 'IPV6L002', severity: 'error', range: [18, 6, 18, 35] },
    ]);
  });

  it('analyses a CDK stack file of an app without cdk.json with the file that imports it, and updates as you edit the entry', async () => {
    const app = workspaceFile('scratch-projects', 'cdk-without-cdk-json');
    await vscode.workspace.fs.copy(cdkApp, app, { overwrite: true });
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(app, 'cdk.json'));
    // bin/app.ts line 7 passes network.vpc to the API stack: without it no instantiation gives the function its VPC.
    await expectEditsToReach(vscode.Uri.joinPath(app, 'lib', 'api-stack.ts'), { rule: 'IPV6L001', severity: 'warning', range: [17, 6, 17, 9] }, vscode.Uri.joinPath(app, 'bin', 'app.ts'), 7);
  });

  it('updates a CDK stack’s diagnostics as you make the VPC of the network stack it receives IPv4-only and dual-stack again', async () => {
    const api = vscode.Uri.joinPath(cdkApp, 'lib', 'api-stack.ts');
    const l001AtVpcProp = { rule: 'IPV6L001', severity: 'warning', range: [17, 6, 17, 9] } satisfies DiagnosticSummary;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(api));
    await expectDiagnostics(api, [l001AtVpcProp]);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(cdkApp, 'lib', 'network-stack.ts')), { preview: false });
    const protocol = (name: string) => {
      const line = 10;
      const start = editor.document.lineAt(line).text.indexOf(name);
      return new vscode.Range(line, start, line, start + name.length);
    };
    await editor.edit((edit) => edit.replace(protocol('DUAL_STACK'), 'IPV4_ONLY'));
    // IPv4-only behind the CDK default NAT gateway: no IPV6L001, the migration's IPV6M001 instead.
    await expectDiagnostics(api, [{ rule: 'IPV6M001', severity: 'info', range: [17, 6, 17, 9] }]);
    await editor.edit((edit) => edit.replace(protocol('IPV4_ONLY'), 'DUAL_STACK'));
    await expectDiagnostics(api, [l001AtVpcProp]);
    await closeAllEditors();
    await expectDiagnostics(api, [], 20_000);
  });
});
