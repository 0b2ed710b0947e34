import { emptyGraph } from '../../model/graph';
import { noFixes } from '../../model/fixes';
import type { ParsedUnit, SourceFile } from '../../model/source';
import { suppressionsFromComments } from '../../model/suppress';
import { MAX_SYNTAX_TREE_DEPTH, nestedTooDeep, treeNestsTooDeep } from '../limits';
import { type Grammar, createParser } from '../treeSitter';
import { FileSymbols } from './constructs';
import { CdkFixBuilder } from './fixBuilder';
import { buildGraph } from './graphBuilder';
import type { Flavor, LoweredFile } from './syntax';
import { type SyntaxNode, copyTree, firstErrorPosition } from './treeSitterNodes';

export interface CdkLanguage {
  grammar: Grammar;
  lower(root: SyntaxNode, text: string): LoweredFile;
  /** Node types the lowering reads as a whole (see {@link copyTree}). */
  leaves: ReadonlySet<string>;
  flavor: Flavor;
}

/** Parses one CDK source file into the resource graph; a file that does not parse is skipped, never guessed. */
export async function parseCdk(file: SourceFile, language: CdkLanguage): Promise<ParsedUnit> {
  const parser = await createParser(language.grammar);
  try {
    const tree = parser.parse(file.text);
    if (!tree) return skipped(file, 'the parser gave up on this file; check that it is valid source');
    try {
      if (treeNestsTooDeep(tree)) return skipped(file, nestedTooDeep(MAX_SYNTAX_TREE_DEPTH));
      const error = firstErrorPosition(tree.rootNode);
      if (error) {
        return skipped(file, `syntax error at line ${error.line + 1}, column ${error.character + 1}; fix it to get findings for this file`);
      }
      const lowered = language.lower(copyTree(tree, file.text, language.leaves), file.text);
      const symbols = new FileSymbols(lowered);
      return {
        graph: buildGraph(symbols, file.path),
        fixes: new CdkFixBuilder(file.path, file.text, symbols, language.flavor),
        suppressions: new Map([[file.path, suppressionsFromComments(lowered.comments)]]),
        skipped: [],
      };
    } finally {
      tree.delete();
    }
  } finally {
    parser.delete();
  }
}

function skipped(file: SourceFile, reason: string): ParsedUnit {
  return { graph: emptyGraph(), fixes: noFixes, suppressions: new Map(), skipped: [{ file: file.path, reason }] };
}
