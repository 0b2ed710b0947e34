import * as vscode from 'vscode';
import type { AnalysisUnit, SourceFile } from '../core/model/source';
import { config } from './config';
import { analysisModule } from './lazy';

/** Languages whose documents may hold infrastructure code we analyse. */
export const analysedLanguages = ['yaml', 'json', 'jsonc', 'terraform', 'typescript', 'python'];

export const documentSelector: vscode.DocumentSelector = [
  ...analysedLanguages.map((language) => ({ language, scheme: 'file' })),
  { pattern: '**/*.tf', scheme: 'file' },
];

export function isTerraform(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.tf');
}

function isExcluded(document: vscode.TextDocument): boolean {
  return config.exclude(document.uri).some((glob) => vscode.languages.match({ pattern: glob }, document) > 0);
}

export function isCandidate(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file') return false;
  if (!isTerraform(document.uri) && !analysedLanguages.includes(document.languageId)) return false;
  return !isExcluded(document);
}

/** The folder whose .tf files form one Terraform module. */
export function terraformFolder(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

/**
 * A Terraform folder's .tf files: the editor's text for open ones (unsaved edits count), the disk
 * for the rest.
 */
async function terraformFiles(folder: vscode.Uri): Promise<SourceFile[]> {
  const open = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments) {
    if (isTerraform(document.uri) && terraformFolder(document.uri).toString() === folder.toString()) open.set(document.uri.toString(), document.getText());
  }
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    // A folder that cannot be listed leaves the open documents.
  }
  const files: SourceFile[] = [];
  const decoder = new TextDecoder();
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.File || !name.endsWith('.tf')) continue;
    const uri = vscode.Uri.joinPath(folder, name).toString();
    if (open.has(uri)) continue;
    try {
      files.push({ path: uri, text: decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri))) });
    } catch {
      // Unreadable files are left out of the module, as terraform would fail on them anyway.
    }
  }
  for (const [uri, text] of open) files.push({ path: uri, text });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The analysis unit a document belongs to, or undefined when it is not infrastructure code. */
export async function unitFor(document: vscode.TextDocument): Promise<AnalysisUnit | undefined> {
  if (isTerraform(document.uri)) return { format: 'terraform', files: await terraformFiles(terraformFolder(document.uri)) };
  const text = document.getText();
  const format = analysisModule().detectFormat(document.uri.path, text);
  return format && format !== 'terraform' ? { format, files: [{ path: document.uri.toString(), text }] } : undefined;
}
