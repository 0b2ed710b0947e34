/**
 * A CDK app's files analysed together: what one file cannot resolve on its own (`props.vpc` in a
 * stack's constructor, `network.vpc` of another stack) is followed to the instantiation sites and
 * the classes of the other files, so a finding lands where its construct is written.
 */
import * as nodePath from 'node:path';
import { type ResourceGraph, type Unknown, emptyGraph, isUnknown, unknown } from '../../model/graph';
import type { EditsWithCreates, FixBuilder } from '../../model/fixes';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../../model/source';
import { suppressionsFromComments } from '../../model/suppress';
import { type AppLinker, type Construct, FileSymbols, lookupProp } from './constructs';
import { CdkFixBuilder } from './fixBuilder';
import { buildGraph } from './graphBuilder';
import { type CdkLanguage, isSkipped, lowerCdkFile } from './parseCdk';
import { camelCase } from './pythonSyntax';
import type { CallExpr, ClassDeclaration, Expr, LoweredFile, PathExpr } from './syntax';

/** How far one value is followed through props and fields before the analysis gives up on it. */
const MAX_LINKS = 64;

interface AppFile {
  source: SourceFile;
  lowered: LoweredFile;
  symbols: FileSymbols;
}

interface AppClass {
  file: AppFile;
  declaration: ClassDeclaration;
}

/** Paths as the caller names them: file-system paths or URIs (`file:///…`), whose path part is POSIX. */
function splitScheme(file: string): { prefix: string; rest: string; path: typeof nodePath.posix } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(\/.*)$/i.exec(file);
  return match ? { prefix: match[1], rest: match[2], path: nodePath.posix } : { prefix: '', rest: file, path: nodePath };
}

export function folderOf(file: string): string {
  const { prefix, rest, path } = splitScheme(file);
  return prefix + path.dirname(rest);
}

export function joinPath(folder: string, ...parts: string[]): string {
  const { prefix, rest, path } = splitScheme(folder);
  return prefix + path.join(rest, ...parts);
}

export function relativePath(from: string, to: string): string {
  const a = splitScheme(from);
  return a.path.relative(a.rest, splitScheme(to).rest).split(a.path.sep).join('/');
}

/** The files a TypeScript (`./network-stack`) or Python (`network_stack`, `.network_stack`) import may name, most likely first. */
export function moduleCandidates(file: string, module: string, appRoot: string): string[] {
  const folder = folderOf(file);
  if (file.toLowerCase().endsWith('.py')) {
    const dots = /^\.*/.exec(module)![0].length;
    const parts = module.slice(dots).split('.').filter((part) => part !== '');
    const bases = dots > 0 ? [joinPath(folder, ...Array<string>(dots - 1).fill('..'))] : [appRoot, folder];
    return bases.flatMap((base) => [joinPath(base, ...parts) + '.py', joinPath(base, ...parts, '__init__.py')]);
  }
  const base = joinPath(folder, module.replace(/\.js$/, ''));
  return [`${base}.ts`, `${base}.tsx`, joinPath(base, 'index.ts')];
}

class CdkApp implements AppLinker {
  private readonly byPath = new Map<string, AppFile>();
  private readonly bySymbols = new Map<FileSymbols, AppFile>();
  private instantiations?: Map<AppClass, { file: AppFile; call: CallExpr }[]>;
  private readonly classes = new Map<string, AppClass>();

  constructor(
    readonly files: AppFile[],
    private readonly root: string,
  ) {
    for (const file of files) {
      this.byPath.set(file.source.path, file);
      this.bySymbols.set(file.symbols, file);
      for (const declaration of file.lowered.classes) this.classes.set(`${file.source.path}#${declaration.name}`, { file, declaration });
      file.symbols.linker = this;
    }
  }

  resolve(symbols: FileSymbols, path: PathExpr, seen: Set<Expr>): Construct | Unknown | undefined {
    const file = this.bySymbols.get(symbols);
    if (!file) return undefined;
    if (seen.size > MAX_LINKS) return unknown('the value passes through too many props and fields to follow');
    return this.fromConstructorInput(file, path, seen) ?? this.fromOtherStack(file, path, seen);
  }

  /** `props.vpc` (TypeScript) or `vpc` (Python) inside a class the app instantiates: what every instantiation passes. */
  private fromConstructorInput(file: AppFile, path: PathExpr, seen: Set<Expr>): Construct | Unknown | undefined {
    const [first, second] = path.path;
    const isParameter = (name: string) => {
      const value = file.symbols.valueOf(name);
      return isUnknown(value) && !/not defined/.test(value.why);
    };
    let owner: AppClass | undefined;
    let prop: string | undefined;
    for (const declaration of file.lowered.classes) {
      if (path.path.length === 2 && declaration.propsParameter === first && isParameter(first)) prop = second;
      else if (path.path.length === 1 && declaration.keywordParameters?.includes(first) && isParameter(first)) prop = camelCase(first);
      else continue;
      // Two classes of the file taking the same name leave it unclear whose input this is.
      if (owner) return undefined;
      owner = this.classes.get(`${file.source.path}#${declaration.name}`);
    }
    if (!owner || prop === undefined) return undefined;
    const sites = this.instantiationsOf(owner);
    if (sites.length === 0) return undefined;
    let agreed: Construct | undefined;
    for (const site of sites) {
      const line = site.call.range.start.line + 1;
      const lookup = lookupProp(site.call.props, prop);
      if (lookup.kind === 'absent') return unknown(`${owner.declaration.name} is instantiated without ${prop} on line ${line} of ${site.file.source.path}`);
      if (lookup.kind === 'unknown') return unknown(lookup.why);
      // Each site is followed on its own: two sites may pass the same value.
      const construct = site.file.symbols.resolveConstruct(lookup.prop.value, new Set(seen));
      if (isUnknown(construct)) return construct;
      if (agreed && agreed.key !== construct.key) return unknown(`${owner.declaration.name} is instantiated with different ${prop} values`);
      agreed = construct;
    }
    return agreed;
  }

  /** `network.vpc` where `network` is a stack of the app: the construct its class assigns to `this.vpc`. */
  private fromOtherStack(file: AppFile, path: PathExpr, seen: Set<Expr>): Construct | Unknown | undefined {
    if (path.path.length < 2) return undefined;
    const instance = file.symbols.valueOf(path.path[0]);
    if (isUnknown(instance) || instance.kind !== 'call') return undefined;
    const owner = this.classOf(file, instance.callee);
    if (!owner) return undefined;
    const field: PathExpr = { kind: 'path', path: ['this', ...path.path.slice(1)], range: path.range };
    const construct = owner.file.symbols.resolveConstruct(field, seen);
    return isUnknown(construct) && /not defined/.test(construct.why) ? unknown(`${owner.declaration.name} assigns no ${field.path.join('.')}`) : construct;
  }

  /** The app's class a callee names: declared in the file, or imported from another file of the app. */
  private classOf(file: AppFile, callee: Expr): AppClass | undefined {
    if (callee.kind !== 'path' || callee.path.length > 2) return undefined;
    const [first, second] = callee.path;
    const imported = file.lowered.localImports.get(first);
    if (!imported) return callee.path.length === 1 ? this.classes.get(`${file.source.path}#${first}`) : undefined;
    const name = imported.name === '*' ? second : callee.path.length === 1 ? imported.name : undefined;
    if (name === undefined) return undefined;
    for (const candidate of moduleCandidates(file.source.path, imported.module, this.root)) {
      const target = this.byPath.get(candidate);
      if (target) return this.classes.get(`${target.source.path}#${name}`);
    }
    return undefined;
  }

  private instantiationsOf(owner: AppClass): { file: AppFile; call: CallExpr }[] {
    if (!this.instantiations) {
      this.instantiations = new Map();
      for (const file of this.files) {
        for (const call of file.lowered.calls) {
          const target = this.classOf(file, call.callee);
          if (target) this.instantiations.set(target, [...(this.instantiations.get(target) ?? []), { file, call }]);
        }
      }
    }
    return this.instantiations.get(owner) ?? [];
  }
}

/** Each fix is written by the builder of the file that holds its subject; keys are unique across the app. */
class AppFixBuilder implements FixBuilder {
  constructor(private readonly builders: FixBuilder[]) {}

  private first(write: (builder: FixBuilder) => EditsWithCreates | undefined): EditsWithCreates | undefined {
    for (const builder of this.builders) {
      const edits = write(builder);
      if (edits) return edits;
    }
    return undefined;
  }

  setFlag: FixBuilder['setFlag'] = (fn, value) => this.first((builder) => builder.setFlag(fn, value));
  removeFlag: FixBuilder['removeFlag'] = (fn) => this.first((builder) => builder.removeFlag(fn));
  retargetRouteToEigw: FixBuilder['retargetRouteToEigw'] = (route, vpcKey) => this.first((builder) => builder.retargetRouteToEigw(route, vpcKey));
  addIpv6DefaultRoute: FixBuilder['addIpv6DefaultRoute'] = (table, vpcKey) => this.first((builder) => builder.addIpv6DefaultRoute(table, vpcKey));
  addIpv6Egress: FixBuilder['addIpv6Egress'] = (group, variant) => this.first((builder) => builder.addIpv6Egress(group, variant));
  makeDualStack: FixBuilder['makeDualStack'] = (key) => this.first((builder) => builder.makeDualStack(key));
  addVpcIpv6Block: FixBuilder['addVpcIpv6Block'] = (vpcKey) => this.first((builder) => builder.addVpcIpv6Block(vpcKey));
}

function mergeInto(graph: ResourceGraph, part: ResourceGraph): void {
  for (const list of Object.keys(graph) as (keyof ResourceGraph)[]) (graph[list] as unknown[]).push(...part[list]);
}

/**
 * The files of one CDK app in one graph. With one file this is the file's own analysis; with more,
 * keys carry the file's path within the app so that stacks of different files never share one.
 */
export async function parseCdkApp(files: SourceFile[], language: CdkLanguage, root = files[0] ? folderOf(files[0].path) : ''): Promise<ParsedUnit> {
  const skipped: SkippedFile[] = [];
  const appFiles: AppFile[] = [];
  for (const source of files) {
    const lowered = await lowerCdkFile(source, language);
    if (isSkipped(lowered)) {
      skipped.push(lowered);
      continue;
    }
    const prefix = files.length > 1 ? `${relativePath(root, source.path)}:` : '';
    appFiles.push({ source, lowered, symbols: new FileSymbols(lowered, prefix) });
  }
  new CdkApp(appFiles, root);
  const graph = emptyGraph();
  const suppressions = new Map<string, FileSuppressions>();
  for (const file of appFiles) {
    mergeInto(graph, buildGraph(file.symbols, file.source.path));
    suppressions.set(file.source.path, suppressionsFromComments(file.lowered.comments));
  }
  const builders = appFiles.map((file) => new CdkFixBuilder(file.source.path, file.source.text, file.symbols, language.flavor));
  return { graph, fixes: builders.length === 1 ? builders[0] : new AppFixBuilder(builders), suppressions, skipped };
}

