import type { Position, Range } from '../../model/graph';
import type { Comment } from '../../model/suppress';

/**
 * The language-neutral view of a CDK source file that the TypeScript and Python adapters produce.
 * It keeps only what construct recognition and fix writing need; names are camelCase in both
 * languages (`vpc_subnets` becomes `vpcSubnets`, `self` becomes `this`).
 */

export type Expr = PathExpr | CallExpr | BoolExpr | StringExpr | NumberExpr | ListExpr | ObjectExpr | OtherExpr;

/** An identifier or a member chain: `vpc`, `this.vpc`, `ec2.IpProtocol.DUAL_STACK`. */
export interface PathExpr {
  kind: 'path';
  path: string[];
  range: Range;
}

/** `new X(...)` in TypeScript, `X(...)` in Python. */
export interface CallExpr {
  kind: 'call';
  callee: Expr;
  positional: Expr[];
  /** TypeScript: the third argument's object literal, if any; Python: the keyword arguments. */
  props: PropsSite;
  /** Every argument, for inserting another one. */
  args: ItemList;
  range: Range;
}

export interface BoolExpr {
  kind: 'bool';
  value: boolean;
  range: Range;
}

export interface StringExpr {
  kind: 'string';
  value: string;
  range: Range;
}

export interface NumberExpr {
  kind: 'number';
  value: number;
  range: Range;
}

export interface ListExpr {
  kind: 'list';
  items: Expr[];
  range: Range;
}

export interface ObjectExpr {
  kind: 'object';
  props: PropList;
  range: Range;
}

export interface OtherExpr {
  kind: 'other';
  range: Range;
}

/** `key: value` / `key=value` (a TypeScript shorthand `{ vpc }` is a prop whose value is the path `vpc`). */
export interface Prop {
  name: string;
  keyRange: Range;
  value: Expr;
  /** Key start to value end. */
  range: Range;
  /** Position among the list's items (spreads included). */
  index: number;
}

export interface PropList {
  props: Prop[];
  /** Positions of `...spread` / `**kwargs` items: they may set any prop. */
  spreadIndices: number[];
  list: ItemList;
}

/**
 * Where a construct's props are: a list we can read and edit, none at all (TypeScript `new X(scope, id)`),
 * or something we cannot see into (a variable, a function's result).
 */
export type PropsSite = { kind: 'list'; props: PropList } | { kind: 'absent' } | { kind: 'opaque'; range: Range };

/** A comma-separated, delimited list (object literal, argument list), for text edits. */
export interface ItemList {
  items: Range[];
  /** Just after the opening delimiter. */
  openEnd: Position;
  /** Just before the closing delimiter. */
  closeStart: Position;
}

/** `const x = …`, `this.x = …`, `self.x = …`, a class field, or a parameter (value undefined). */
export interface Definition {
  /** `vpc`, `this.vpc`. */
  name: string;
  value?: Expr;
  /** The target as written (`self.sg`), to write statements about it. */
  targetText: string;
  statement: StatementSite;
}

export interface StatementSite {
  range: Range;
  /** The whitespace before the statement on its line. */
  indent: string;
  /** TypeScript: the statement ends with `;`. */
  semicolon: boolean;
}

/** What an import binds: a module (`ec2`, `aws_cdk.aws_ec2`, the library root `cdk`) or one export of it. */
export interface ImportTable {
  /** Local path (`ec2`, `aws_cdk.aws_ec2`) → module id (`aws_ec2`; `''` for the library root). */
  modules: Map<string, string>;
  /** Local name → `module.Export` (`Fn` → `aws_lambda.Function`). */
  names: Map<string, string>;
}

export interface ErrorPosition {
  line: number;
  character: number;
}

/** What an import of the project's own code binds: `import { NetworkStack } from '../lib/network-stack'`. */
export interface LocalImport {
  /** As written: `../lib/network-stack` (TypeScript), `network_stack` / `.network_stack` (Python). */
  module: string;
  /** The exported name, or `*` when the local name stands for the whole module. */
  name: string;
}

/** A class the file declares, with how its constructor receives what instantiation sites pass. */
export interface ClassDeclaration {
  name: string;
  /** TypeScript: the name of the constructor's third parameter (`props`). */
  propsParameter?: string;
  /** Python: the names of `__init__`'s parameters after `self, scope, id`, as written. */
  keywordParameters?: string[];
}

export interface LoweredFile {
  imports: ImportTable;
  /** Local name → the project module it comes from. */
  localImports: Map<string, LocalImport>;
  classes: ClassDeclaration[];
  definitions: Definition[];
  /** Every call and `new` expression, outermost first. */
  calls: CallExpr[];
  /** Every maximal identifier/member chain outside import statements. */
  paths: PathExpr[];
  comments: Comment[];
}

/** How the language writes the few things a fix inserts. */
export interface Flavor {
  /** `ipv6AllowedForDualStack` → `ipv6_allowed_for_dual_stack` in Python. */
  name(camel: string): string;
  bool(value: boolean): string;
  prop(name: string, valueText: string): string;
  /** The extra argument that carries props when a TypeScript construct has none (`{ a: b }`). */
  newPropsArgument(propTexts: string[]): string;
  /** A statement as written on its own line. */
  statement(expression: string, site: StatementSite): string;
}
