import type { SkippedFile, SourceFile } from '../../model/source';
import { MAX_SYNTAX_TREE_DEPTH, nestedTooDeep, treeNestsTooDeep } from '../limits';
import { type Grammar, createParser } from '../treeSitter';
import type { Flavor, LoweredFile } from './syntax';
import { type SyntaxNode, copyTree, firstErrorPosition } from './treeSitterNodes';

export interface CdkLanguage {
  grammar: Grammar;
  lower(root: SyntaxNode, text: string): LoweredFile;
  /** Node types the lowering reads as a whole (see {@link copyTree}). */
  leaves: ReadonlySet<string>;
  flavor: Flavor;
}

/** One CDK source file in the language-neutral form, or why it has none: a file that does not parse is skipped, never guessed. */
export async function lowerCdkFile(file: SourceFile, language: CdkLanguage): Promise<LoweredFile | SkippedFile> {
  const parser = await createParser(language.grammar);
  try {
    const tree = parser.parse(file.text);
    if (!tree) return { file: file.path, reason: 'the parser gave up on this file; check that it is valid source' };
    try {
      if (treeNestsTooDeep(tree)) return { file: file.path, reason: nestedTooDeep(MAX_SYNTAX_TREE_DEPTH) };
      const error = firstErrorPosition(tree.rootNode);
      if (error) {
        return { file: file.path, reason: `syntax error at line ${error.line + 1}, column ${error.character + 1}; fix it to get findings for this file` };
      }
      return language.lower(copyTree(tree, file.text, language.leaves), file.text);
    } finally {
      tree.delete();
    }
  } finally {
    parser.delete();
  }
}

export function isSkipped(lowered: LoweredFile | SkippedFile): lowered is SkippedFile {
  return 'reason' in lowered;
}
