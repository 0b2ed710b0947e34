import { type Known, type Unknown, isUnknown, unknown } from '../../model/graph';
import type { CallExpr, Definition, Expr, ImportTable, LoweredFile, PathExpr, Prop, PropsSite } from './syntax';

export type ConstructKind = 'function' | 'vpc' | 'securityGroup';

const constructKinds = new Map<string, ConstructKind>([
  ['aws_lambda.Function', 'function'],
  ['aws_lambda.DockerImageFunction', 'function'],
  ['aws_lambda_nodejs.NodejsFunction', 'function'],
  ['aws_lambda_python_alpha.PythonFunction', 'function'],
  ['aws_ec2.Vpc', 'vpc'],
  ['aws_ec2.SecurityGroup', 'securityGroup'],
]);

export interface Construct {
  kind: ConstructKind;
  key: string;
  name: string;
  call: CallExpr;
  /** The variable or field it is assigned to. */
  definition?: Definition;
}

/** A prop as far as the file tells: written, certainly absent, or maybe set by a spread / an opaque props value. */
export type PropLookup = { kind: 'present'; prop: Prop } | { kind: 'absent' } | { kind: 'unknown'; why: string };

export function lookupProp(site: PropsSite, name: string): PropLookup {
  if (site.kind === 'absent') return { kind: 'absent' };
  if (site.kind === 'opaque') return { kind: 'unknown', why: `${name} may be set by props built elsewhere` };
  const { props, spreadIndices } = site.props;
  const prop = [...props].reverse().find((candidate) => candidate.name === name);
  const laterSpread = spreadIndices.some((index) => index > (prop?.index ?? -1));
  if (laterSpread) return { kind: 'unknown', why: `${name} may be set by spread props` };
  return prop ? { kind: 'present', prop } : { kind: 'absent' };
}

/**
 * Follows what a file cannot resolve on its own into the other files of its CDK app (props passed
 * at instantiation sites, fields of another stack); undefined when the app has nothing to say.
 */
export interface AppLinker {
  resolve(symbols: FileSymbols, path: PathExpr, seen: Set<Expr>): Construct | Unknown | undefined;
}

/** Names bound in the file, and how to follow an expression to the construct it stands for. */
export class FileSymbols {
  private readonly definitionsByName = new Map<string, Definition[]>();
  private readonly constructsByCall = new Map<CallExpr, Construct>();
  readonly constructs: Construct[] = [];
  private pathsByRootIndex?: Map<string, PathExpr[]>;
  /** Set by the app the file is analysed in. */
  linker?: AppLinker;

  /** `keyPrefix` keeps keys unique across the files of one app. */
  constructor(
    readonly file: LoweredFile,
    private readonly keyPrefix = '',
  ) {
    for (const definition of file.definitions) {
      const list = this.definitionsByName.get(definition.name) ?? [];
      list.push(definition);
      this.definitionsByName.set(definition.name, list);
    }
    this.followPropsVariables();
    this.recogniseConstructs();
  }

  get imports(): ImportTable {
    return this.file.imports;
  }

  /** `['lambda', 'Function']` → `aws_lambda.Function` when `lambda` is an aws-cdk-lib import. */
  symbolOf(expr: Expr): string | undefined {
    if (expr.kind !== 'path') return undefined;
    const path = expr.path;
    for (let length = path.length; length >= 1; length--) {
      const moduleId = this.imports.modules.get(path.slice(0, length).join('.'));
      if (moduleId === undefined) continue;
      const rest = path.slice(length);
      if (moduleId !== '') return [moduleId, ...rest].join('.');
      return rest[0]?.startsWith('aws_') ? rest.join('.') : undefined;
    }
    const named = this.imports.names.get(path[0]);
    return named ? [named, ...path.slice(1)].join('.') : undefined;
  }

  constructOf(call: CallExpr): Construct | undefined {
    return this.constructsByCall.get(call);
  }

  /** The one value a name is given in this file, or why there is none to follow. */
  valueOf(name: string): Expr | Unknown {
    const definitions = this.definitionsByName.get(name) ?? [];
    if (definitions.length === 0) return unknown(`${name} is not defined in this file`);
    if (definitions.length > 1) return unknown(`${name} is assigned in more than one place`);
    return definitions[0].value ?? unknown(`${name} is a parameter or is not assigned here`);
  }

  resolveConstruct(expr: Expr, seen = new Set<Expr>()): Construct | Unknown {
    if (seen.has(expr)) return unknown('a circular definition');
    seen.add(expr);
    if (expr.kind === 'call') {
      const construct = this.constructsByCall.get(expr);
      if (construct) return construct;
      const symbol = this.symbolOf(expr.callee);
      return unknown(`the result of ${symbol ?? 'a call'} is not known before deployment`);
    }
    if (expr.kind === 'path') {
      const value = this.valueOf(expr.path.join('.'));
      if (!isUnknown(value)) return this.resolveConstruct(value, seen);
      return this.linker?.resolve(this, expr, seen) ?? value;
    }
    return unknown('an expression this analysis does not follow');
  }

  /** Every reference to a construct's variable or field (`sg`, `sg.addEgressRule`, `this.sg.connections`). */
  referencesTo(construct: Construct): PathExpr[] {
    const name = construct.definition?.name.split('.');
    if (!name) return [];
    const candidates = this.pathsByRoot.get(name[0]) ?? [];
    return candidates.filter((path) => name.every((segment, index) => path.path[index] === segment));
  }

  /** Paths by their first segment, in file order: a file has many paths and many constructs to look them up for. */
  private get pathsByRoot(): Map<string, PathExpr[]> {
    if (!this.pathsByRootIndex) {
      this.pathsByRootIndex = new Map();
      for (const path of this.file.paths) {
        const list = this.pathsByRootIndex.get(path.path[0]);
        if (list) list.push(path);
        else this.pathsByRootIndex.set(path.path[0], [path]);
      }
    }
    return this.pathsByRootIndex;
  }

  /** `const props = { vpc }; new X(this, 'Id', props)`: the props are the object the one definition of the variable writes. */
  private followPropsVariables(): void {
    for (const call of this.file.calls) {
      const argument = call.positional[2];
      if (call.props.kind !== 'opaque' || argument?.kind !== 'path') continue;
      const value = this.valueOf(argument.path.join('.'));
      if (!isUnknown(value) && value.kind === 'object') call.props = { kind: 'list', props: value.props };
    }
  }

  private recogniseConstructs(): void {
    const definitionByValue = new Map<Expr, Definition>();
    for (const definition of this.file.definitions) if (definition.value) definitionByValue.set(definition.value, definition);
    const found: { kind: ConstructKind; call: CallExpr; definition?: Definition; id?: string; variable?: string }[] = [];
    for (const call of this.file.calls) {
      const symbol = this.symbolOf(call.callee);
      const kind = symbol ? constructKinds.get(symbol) : undefined;
      if (!kind) continue;
      const definition = definitionByValue.get(call);
      const id = call.positional[1]?.kind === 'string' ? call.positional[1].value : undefined;
      found.push({ kind, call, definition, id, variable: definition?.name.replace(/^this\./, '') });
    }
    // The construct id names a construct best, but ids repeat across stacks in one file; then the variable, then the position.
    const uses = new Map<string, number>();
    for (const name of found.flatMap((candidate) => [candidate.id, candidate.variable])) {
      if (name !== undefined) uses.set(name, (uses.get(name) ?? 0) + 1);
    }
    for (const { id, variable, ...candidate } of found) {
      const name = id ?? variable ?? candidate.kind;
      const { line, character } = candidate.call.range.start;
      const key = this.keyPrefix + ([id, variable].find((unique) => unique !== undefined && uses.get(unique) === 1) ?? `${name}@${line + 1}:${character + 1}`);
      const construct: Construct = { ...candidate, key, name };
      this.constructs.push(construct);
      this.constructsByCall.set(candidate.call, construct);
    }
  }
}

export function knownBool(expr: Expr, what: string): Known<boolean> {
  return expr.kind === 'bool' ? expr.value : unknown(`${what} is not a literal true or false`);
}
