import * as vscode from 'vscode';
import type { AnalysisUnit } from '../core/model/source';
import type { WorkspaceFs } from '../core/workspace';
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

/**
 * The file system as the core's unit functions read it: open documents' text (unsaved edits count),
 * the disk for the rest. Paths are file-system paths.
 */
const editorFs: WorkspaceFs = {
  readFile: async (fsPath) => {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === fsPath);
    return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(fsPath)));
  },
  listDir: async (fsPath) =>
    (await vscode.workspace.fs.readDirectory(vscode.Uri.file(fsPath))).map(([name, type]) => ({
      name,
      isDirectory: (type & vscode.FileType.Directory) !== 0,
      isFile: (type & vscode.FileType.File) !== 0,
    })),
  kind: async (fsPath) => {
    try {
      const { type } = await vscode.workspace.fs.stat(vscode.Uri.file(fsPath));
      return type & vscode.FileType.Directory ? 'directory' : type & vscode.FileType.File ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
};

const asUri = (fsPath: string) => vscode.Uri.file(fsPath).toString();

/** The core names files by file-system path; the editor's diagnostics and edits by URI. */
function inEditorPaths(unit: AnalysisUnit): AnalysisUnit {
  return { ...unit, root: unit.root && asUri(unit.root), files: unit.files.map((file) => ({ path: asUri(file.path), text: file.text })) };
}

/** The analysis unit a document belongs to, or undefined when it is not infrastructure code. */
export async function unitFor(document: vscode.TextDocument): Promise<AnalysisUnit | undefined> {
  if (isTerraform(document.uri)) {
    const stopAt = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    return inEditorPaths(await analysisModule().terraformUnitOf(document.uri.fsPath, editorFs, stopAt));
  }
  const text = document.getText();
  const format = analysisModule().detectFormat(document.uri.path, text);
  if (format === 'cloudformation') return inEditorPaths(await analysisModule().cloudFormationUnitOf(document.uri.fsPath, text, editorFs));
  if (format === 'cdk-typescript' || format === 'cdk-python') {
    const stopAt = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    return inEditorPaths(await analysisModule().cdkUnitOf(document.uri.fsPath, text, format, editorFs, stopAt));
  }
  return format && format !== 'terraform' ? { format, files: [{ path: document.uri.toString(), text }] } : undefined;
}
