/**
 * Bounds on the work one file may cause, so that a hostile or accidental input (a YAML alias bomb,
 * thousands of nested brackets) is answered at once with its reason instead of hanging the editor or
 * overflowing the stack. Real templates and sources stay far below both: the deepest nesting seen in
 * public CloudFormation, Terraform and CDK sources is under 60 levels.
 */
import type { Node, Tree } from 'web-tree-sitter';

/**
 * Collections inside one another in a YAML or JSON template. `yaml`'s composer recurses about ten
 * frames per level and overflows near 800; PyYAML, which CloudFormation tooling uses, stops near 300.
 */
export const MAX_NESTING_DEPTH = 300;

/** Levels of a tree-sitter syntax tree (Terraform, CDK): a nesting level of source is two or three of them. */
export const MAX_SYNTAX_TREE_DEPTH = 1000;

/** Nodes that YAML aliases may add to a document when they are expanded, as `yaml`'s `maxAliasCount` guards. */
export const MAX_ALIAS_NODES = 10_000;

export function nestedTooDeep(limit = MAX_NESTING_DEPTH): string {
  return `nested deeper than ${limit} levels; the file is not analysed (flatten it, or split it)`;
}

export function aliasesExpandTooFar(): string {
  return `YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes; the file is not analysed (replace the aliases by the values they stand for)`;
}

/**
 * Whether a syntax tree nests deeper than the limit, found without recursion: the tree-sitter
 * parsers read any depth, but the walks over their trees recurse. A subtree of n nodes reaches at
 * most n - 1 levels below its root, so only the subtrees with more nodes than levels left are
 * entered: a real file costs a call per node of its few top levels, not one per node of the file.
 */
export function treeNestsTooDeep(tree: Tree): boolean {
  const pending: { node: Node; depth: number }[] = [{ node: tree.rootNode, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, depth } = next;
    if (depth > MAX_SYNTAX_TREE_DEPTH) return true;
    if (depth + node.descendantCount - 1 > MAX_SYNTAX_TREE_DEPTH) for (const child of node.children) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}
