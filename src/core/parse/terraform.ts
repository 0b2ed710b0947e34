import type { Tree } from 'web-tree-sitter';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { MAX_SYNTAX_TREE_DEPTH, nestedTooDeep, treeNestsTooDeep } from './limits';
import { createParser } from './treeSitter';
import { terraformFixes } from './terraform/fixes';
import { buildModel, type ModuleContext } from './terraform/graph';
import { isLocalModuleSource, isModulesManifest, localModuleFolder, modulesManifestDirs, normalFolder, terraformFolderOf } from './terraform/project';
import { firstSyntaxError, type HclFile } from './terraform/syntax';

/**
 * Syntax trees live in wasm memory, which JS garbage collection does not free. The fix builder
 * reads them until it is dropped, so they are deleted when it is collected.
 */
const treesOfFixBuilders = new FinalizationRegistry<Tree[]>((trees) => trees.forEach((tree) => tree.delete()));

/**
 * Analyses a Terraform root: the .tf files of its folder together (resources refer to each other
 * across files), and the folders of the modules it calls that are in the unit, each evaluated with
 * the arguments of its `module` block. `root` is the root folder (default: the first file's). A file
 * with a syntax error is skipped, so nothing in it is guessed.
 */
export async function parseTerraform(files: SourceFile[], root?: string): Promise<ParsedUnit> {
  const parser = await createParser('terraform');
  const parsed: HclFile[] = [];
  const skipped: SkippedFile[] = [];
  const trees: Tree[] = [];
  const suppressions = new Map<string, FileSuppressions>();
  const manifests: SourceFile[] = [];
  try {
    for (const file of files) {
      if (isModulesManifest(file.path)) {
        manifests.push(file);
        continue;
      }
      const tree = parser.parse(file.text);
      if (!tree) {
        skipped.push({ file: file.path, reason: 'the Terraform parser could not read the file' });
        continue;
      }
      if (treeNestsTooDeep(tree)) {
        skipped.push({ file: file.path, reason: nestedTooDeep(MAX_SYNTAX_TREE_DEPTH) });
        tree.delete();
        continue;
      }
      const error = firstSyntaxError(tree.rootNode);
      if (error) {
        skipped.push({ file: file.path, reason: `syntax error at line ${error.startPosition.row + 1}` });
        tree.delete();
        continue;
      }
      trees.push(tree);
      parsed.push({ path: file.path, text: file.text, lines: file.text.split('\n'), root: tree.rootNode });
      // Every HCL comment starts with one of these; a file without them is not searched for comments.
      const mayHaveComments = file.text.includes('#') || file.text.includes('//') || file.text.includes('/*');
      const comments = mayHaveComments ? tree.rootNode.descendantsOfType('comment') : [];
      suppressions.set(file.path, suppressionsFromComments(comments.map((comment) => ({ text: comment.text, line: comment.endPosition.row }))));
    }
  } finally {
    parser.delete();
  }
  const rootFolder = root !== undefined ? normalFolder(root) : terraformFolderOf(files.find((file) => !isModulesManifest(file.path))?.path ?? '.');
  const folders = new Map<string, HclFile[]>();
  for (const file of parsed) {
    const folder = terraformFolderOf(file.path);
    folders.set(folder, [...(folders.get(folder) ?? []), file]);
  }
  const downloaded = new Map<string, string>();
  for (const manifest of manifests) {
    const dirs = modulesManifestDirs(manifest.text, rootFolder);
    if (dirs) for (const [key, dir] of dirs) downloaded.set(key, dir);
    else skipped.push({ file: manifest.path, reason: 'not a modules.json as `terraform init` writes it; run `terraform init` again' });
  }
  const context: ModuleContext = {
    prefix: '',
    moduleFiles: (source, key, caller) => {
      const folder = isLocalModuleSource(source) ? localModuleFolder(terraformFolderOf(caller[0].path), source) : downloaded.get(key);
      return folder === undefined ? undefined : folders.get(folder);
    },
  };
  const model = buildModel(folders.get(rootFolder) ?? [], context);
  const fixes = terraformFixes(model);
  treesOfFixBuilders.register(fixes, trees);
  return { graph: model.graph, fixes, suppressions, skipped };
}
