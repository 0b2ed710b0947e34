import type { Parser, Tree } from 'web-tree-sitter';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { MAX_SYNTAX_TREE_DEPTH, nestedTooDeep, treeNestsTooDeep } from './limits';
import { KeptParses } from './keptParses';
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

/** What parsing one file gives; kept by text (see `keptParses`). */
interface FileParse {
  text: string;
  /** Absent when the file did not parse. */
  tree?: Tree;
  lines: string[];
  suppressions: FileSuppressions;
  /** Why the file is skipped. */
  error?: string;
}

/**
 * Parses of .tf files by path, while their text stays the same: re-analysing a folder as you type
 * in one file (or between fix-all passes) parses only the files that changed. Each analysis gets
 * its own copy of a tree (a cheap, shared-structure copy), so dropping a kept parse never frees a
 * tree that an analysis still reads.
 */
const keptParses = new KeptParses<FileParse>((parse) => parse.tree?.delete());

function parseFile(parser: Parser, file: SourceFile): FileParse {
  const tree = parser.parse(file.text);
  const lines = file.text.split('\n');
  const none = suppressionsFromComments([]);
  if (!tree) return { text: file.text, lines, suppressions: none, error: 'the Terraform parser could not read the file' };
  if (treeNestsTooDeep(tree)) {
    tree.delete();
    return { text: file.text, lines, suppressions: none, error: nestedTooDeep(MAX_SYNTAX_TREE_DEPTH) };
  }
  const error = firstSyntaxError(tree.rootNode);
  if (error) {
    const reason = `syntax error at line ${error.startPosition.row + 1}`;
    tree.delete();
    return { text: file.text, lines, suppressions: none, error: reason };
  }
  return { text: file.text, tree, lines, suppressions: suppressionsFromComments(commentsOf(tree, file.text)) };
}

/**
 * The comments of a parsed file, with the line each ends on. The tree says, for each place a
 * comment may start, whether one does there (one call into the parser, which tells a comment from
 * a `#` in a string): searching the tree for comment nodes would visit every node of the file.
 */
function commentsOf(tree: Tree, text: string): { text: string; line: number }[] {
  const root = tree.rootNode;
  const comments: { text: string; line: number }[] = [];
  // Every HCL comment starts with one of these; so may strings and heredocs.
  const commentStarts = /#|\/\/|\/\*/g;
  for (let found = commentStarts.exec(text); found; found = commentStarts.exec(text)) {
    const node = root.descendantForIndex(found.index, found.index + 1);
    if (node?.type !== 'comment' || node.startIndex !== found.index) continue;
    const end = node.endIndex;
    comments.push({ text: text.slice(found.index, end), line: node.endPosition.row });
    // A comment may hold more of these characters: the search goes on after it.
    commentStarts.lastIndex = end;
  }
  return comments;
}

/**
 * Analyses a Terraform root: the .tf files of its folder together (resources refer to each other
 * across files), and the folders of the modules it calls that are in the unit, each evaluated with
 * the arguments of its `module` block. `root` is the root folder (default: the first file's). A file
 * with a syntax error is skipped, so nothing in it is guessed.
 */
export async function parseTerraform(files: SourceFile[], root?: string): Promise<ParsedUnit> {
  let parser: Parser | undefined;
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
      let result = keptParses.get(file.path);
      if (result?.text !== file.text) {
        parser ??= await createParser('terraform');
        result = parseFile(parser, file);
      }
      keptParses.keep(file.path, result);
      if (!result.tree) {
        skipped.push({ file: file.path, reason: result.error! });
        continue;
      }
      const tree = result.tree.copy();
      trees.push(tree);
      parsed.push({ path: file.path, text: file.text, lines: result.lines, root: tree.rootNode });
      suppressions.set(file.path, result.suppressions);
    }
  } finally {
    parser?.delete();
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
