/**
 * How a Terraform root's files spread over folders: the folders of the local modules it calls and of
 * the modules `terraform init` placed under `.terraform/modules` (listed in its `modules.json`).
 * Paths are compared as the caller names them (file paths or URIs), normalised with POSIX rules.
 */
import * as path from 'node:path';
import type { SourceFile } from '../../model/source';
import { createParser } from '../treeSitter';
import { labelText, topLevelBlocks } from './syntax';
import { registryModuleKind } from './modules';

export const MODULES_MANIFEST = '.terraform/modules/modules.json';

export function isModulesManifest(filePath: string): boolean {
  return path.posix.normalize(filePath.replace(/\\/g, '/')).endsWith(MODULES_MANIFEST);
}

/** A folder normalised so that folders named through different `../` paths compare equal. */
export function normalFolder(folder: string): string {
  return path.posix.normalize(folder.replace(/\\/g, '/')).replace(/(.)\/$/, '$1');
}

export function terraformFolderOf(filePath: string): string {
  return normalFolder(path.posix.dirname(filePath.replace(/\\/g, '/')));
}

export function isLocalModuleSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

/** The folder a local `source` names, seen from the calling module's folder. */
export function localModuleFolder(callerFolder: string, source: string): string {
  return normalFolder(path.posix.join(callerFolder, source));
}

interface ManifestEntry {
  Key?: unknown;
  Source?: unknown;
  Dir?: unknown;
}

/**
 * Module key (`network`, `network.sg`) → folder, from a `modules.json`. The modules this analysis
 * models by hand (terraform-aws-modules/vpc and /lambda) are left out: their model knows more than
 * their source's expressions tell. undefined when the text is not such a manifest.
 */
export function modulesManifestDirs(text: string, rootFolder: string): Map<string, string> | undefined {
  let manifest: { Modules?: ManifestEntry[] };
  try {
    manifest = JSON.parse(text) as { Modules?: ManifestEntry[] };
  } catch {
    return undefined;
  }
  if (!Array.isArray(manifest?.Modules)) return undefined;
  const dirs = new Map<string, string>();
  for (const entry of manifest.Modules) {
    if (typeof entry.Key !== 'string' || entry.Key === '' || typeof entry.Dir !== 'string') continue;
    if (typeof entry.Source === 'string' && registryModuleKind(entry.Source)) continue;
    dirs.set(entry.Key, normalFolder(path.posix.join(rootFolder.replace(/\\/g, '/'), entry.Dir)));
  }
  return dirs;
}

/** The literal `source` of each `module` block in the files; files that do not parse give none. */
export async function moduleSources(files: SourceFile[]): Promise<string[]> {
  const withModules = files.filter((file) => file.text.includes('module'));
  if (withModules.length === 0) return [];
  const parser = await createParser('terraform');
  const sources: string[] = [];
  try {
    for (const file of withModules) {
      const tree = parser.parse(file.text);
      if (!tree) continue;
      try {
        for (const block of topLevelBlocks({ path: file.path, text: file.text, lines: [], root: tree.rootNode })) {
          const source = block.type === 'module' ? block.attributes.get('source')?.expr : undefined;
          const value = source?.namedChildren[0];
          const literal = value?.type === 'literal_value' ? value.namedChildren[0] : undefined;
          if (literal?.type === 'string_lit') sources.push(labelText(literal));
        }
      } finally {
        tree.delete();
      }
    }
  } finally {
    parser.delete();
  }
  return sources;
}
