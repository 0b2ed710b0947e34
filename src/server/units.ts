/**
 * Which analysis unit an open document belongs to, by the core's own unit rules
 * (src/core/workspace.ts): open documents count with their unsaved text, every other file of the
 * unit (the other .tf files of a Terraform folder) is read from disk.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisUnit } from '../core/model/source';
import type { WorkspaceFs } from '../core/workspace';
import { collectUnits, nodeWorkspaceFs } from '../core/workspace';

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
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

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
    const overlay: WorkspaceFs = {
      ...nodeWorkspaceFs,
      readFile: async (absolutePath) => this.openDocument(absolutePath)?.getText() ?? nodeWorkspaceFs.readFile(absolutePath),
      kind: async (absolutePath) => (this.openDocument(absolutePath) ? 'file' : nodeWorkspaceFs.kind(absolutePath)),
    };
    let units: AnalysisUnit[];
    try {
      ({ units } = await collectUnits([filePath], { cwd: '/', fs: overlay }));
    } catch {
      // A document whose folder cannot be read (deleted meanwhile) is not analysed.
      return undefined;
    }
    const found = units.find((unit) => unit.files.some((file) => file.path === filePath));
    if (!found) return undefined;
    const files = found.files.map((file) => ({ path: this.uriOf(file.path), text: file.text }));
    const versions = new Map<string, number>();
    for (const file of files) {
      const document = this.documents.get(file.path);
      if (document) versions.set(file.path, document.version);
    }
    return {
      key: files.map((file) => file.path).join('\n'),
      unit: { format: found.format, files },
      isCurrent: () => [...versions].every(([uri, version]) => this.documents.get(uri)?.version === version),
    };
  }
}
