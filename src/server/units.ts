/**
 * Which analysis unit an open document belongs to, by the core's own unit rules (src/core/project/units.ts):
 * a .tf file is analysed in the root that calls its folder, with the modules that root calls; a
 * template with its cloud assembly, or else the templates of its folder it imports from or exports
 * to; a CDK file with the files of its app (the cdk.json folder) that its entry reaches, or without
 * cdk.json with the files linked to it by imports either way. Open documents count with
 * their unsaved text, every other file of the unit is read from disk.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisUnit } from '../core/model/source';
import { detectFormat } from '../core/parse';
import { cdkUnitOf, cloudFormationUnitOf, terraformUnitOf, unitKey } from '../core/project/units';
import type { WorkspaceFs } from '../core/project/workspace';
import { nodeWorkspaceFs } from '../core/project/workspace';

/** A unit whose file paths are the URIs the client knows (findings and edits carry them back as they are). */
export interface DocumentUnit {
  /** The same for every document of the unit. */
  key: string;
  unit: AnalysisUnit;
  /** True while every open document of the unit still has the text the unit was read with. */
  isCurrent(): boolean;
}

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class Units {
  /**
   * @param workspaceFolders file-system paths of the client's workspace folders: a module's root is
   *   looked for up to the folder that holds it, never above.
   */
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly workspaceFolders: readonly string[] = [],
  ) {}

  /** The open document at a file path, if any. */
  private openDocument(filePath: string): TextDocument | undefined {
    return this.documents.all().find((document) => filePathOf(document.uri) === filePath);
  }

  /** The URI the client uses for a file: its own for open documents, a file URI for the rest. */
  uriOf(filePath: string): string {
    return this.openDocument(filePath)?.uri ?? pathToFileURL(filePath).href;
  }

  /** The unit of a document, or undefined when it is not infrastructure code. */
  async unitOf(uri: string): Promise<DocumentUnit | undefined> {
    const filePath = filePathOf(uri);
    if (!filePath) return undefined;
    // Reading the unit's files takes a while, and a newer version may arrive meanwhile: every open
    // document is read as it is now, so that each version kept below matches the text read.
    const open = new Map<string, { uri: string; version: number; text: string }>();
    for (const document of this.documents.all()) {
      const documentPath = filePathOf(document.uri);
      if (documentPath) open.set(documentPath, { uri: document.uri, version: document.version, text: document.getText() });
    }
    const overlay: WorkspaceFs = {
      ...nodeWorkspaceFs,
      readFile: async (absolutePath) => open.get(absolutePath)?.text ?? nodeWorkspaceFs.readFile(absolutePath),
      kind: async (absolutePath) => (open.has(absolutePath) ? 'file' : nodeWorkspaceFs.kind(absolutePath)),
    };
    let found: AnalysisUnit | undefined;
    try {
      found = await this.coreUnitOf(filePath, overlay);
    } catch {
      // A document whose folder cannot be read (deleted meanwhile) is not analysed.
      return undefined;
    }
    if (!found?.files.some((file) => file.path === filePath)) return undefined;
    const files = found.files.map((file) => ({ path: open.get(file.path)?.uri ?? pathToFileURL(file.path).href, text: file.text }));
    const unit: AnalysisUnit = { format: found.format, files, ...(found.root !== undefined ? { root: pathToFileURL(found.root).href } : {}) };
    const versions = new Map<string, number>();
    for (const file of found.files) {
      const document = open.get(file.path);
      if (document) versions.set(document.uri, document.version);
    }
    return {
      key: unitKey(unit),
      unit,
      isCurrent: () => [...versions].every(([uri, version]) => this.documents.get(uri)?.version === version),
    };
  }

  /** The unit of a file in the core's terms (file-system paths). */
  private async coreUnitOf(filePath: string, fs: WorkspaceFs): Promise<AnalysisUnit | undefined> {
    if (filePath.toLowerCase().endsWith('.tf')) return terraformUnitOf(filePath, fs, this.workspaceFolderOf(filePath));
    const text = await fs.readFile(filePath);
    const format = detectFormat(filePath, text);
    if (format === 'cloudformation') return cloudFormationUnitOf(filePath, text, fs);
    if (format === 'cdk-typescript' || format === 'cdk-python') return cdkUnitOf(filePath, text, format, fs, this.workspaceFolderOf(filePath));
    return format && format !== 'terraform' ? { format, files: [{ path: filePath, text }] } : undefined;
  }

  /** The innermost workspace folder holding a file. */
  private workspaceFolderOf(filePath: string): string | undefined {
    const holding = this.workspaceFolders.filter((folder) => {
      const relative = path.relative(folder, filePath);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
    return holding.sort((a, b) => b.length - a.length)[0];
  }
}
