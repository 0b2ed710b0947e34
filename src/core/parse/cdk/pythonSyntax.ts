import type { CallExpr, ClassDeclaration, Definition, Expr, Flavor, ImportTable, LocalImport, LoweredFile, PathExpr, Prop, PropsSite } from './syntax';
import { type SyntaxNode, delimitedList, namedChildren, rangeOf, statementSite, walk } from './treeSitterNodes';

/** `aws_cdk` → `''`, `aws_cdk.aws_lambda` → `aws_lambda`. */
function moduleIdOf(dotted: string): string | undefined {
  if (dotted === 'aws_cdk') return '';
  const match = /^aws_cdk\.(aws_[a-z0-9_]+)$/.exec(dotted);
  return match ? match[1] : undefined;
}

/** CDK's Python names are its TypeScript names in snake_case; the shared logic speaks camelCase. */
export function camelCase(name: string): string {
  return name.replace(/(?<=[a-z0-9])_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

class PythonLowering {
  /** By node id (ids are dense). */
  private readonly lowered: Expr[] = [];
  readonly imports: ImportTable = { modules: new Map(), names: new Map() };
  readonly localImports = new Map<string, LocalImport>();
  readonly classes: ClassDeclaration[] = [];
  readonly definitions: Definition[] = [];
  readonly calls: CallExpr[] = [];
  readonly paths: PathExpr[] = [];
  readonly comments: { text: string; line: number }[] = [];

  constructor(private readonly text: string) {}

  lowerFile(root: SyntaxNode): LoweredFile {
    // Paths are normalised against the imports, so read those first.
    walk(root, (node) => {
      if (node.type === 'import_statement' || node.type === 'import_from_statement') this.readImport(node);
      return node.type !== 'import_statement' && node.type !== 'import_from_statement';
    });
    walk(root, (node) => this.visit(node));
    return { imports: this.imports, localImports: this.localImports, classes: this.classes, definitions: this.definitions, calls: this.calls, paths: this.paths, comments: this.comments };
  }

  /** Visits one part of a node only (a declaration's value, not the name it declares). */
  private visitField(node: SyntaxNode, field: string): void {
    const part = node.childForFieldName(field);
    if (part) walk(part, (child) => this.visit(child));
  }

  private visit(node: SyntaxNode): boolean {
    switch (node.type) {
      case 'comment':
        this.comments.push({ text: node.text, line: node.endPosition.row });
        return false;
      case 'import_statement':
      case 'import_from_statement':
        return false;
      case 'class_definition':
        this.readClass(node);
        return true;
      case 'call':
        this.calls.push(this.expr(node) as CallExpr);
        return true;
      case 'identifier':
      case 'attribute': {
        const expr = this.expr(node);
        if (expr.kind === 'path') this.paths.push(expr);
        return expr.kind !== 'path';
      }
      case 'assignment':
        this.readAssignment(node);
        this.visitField(node, 'right');
        return false;
      case 'keyword_argument':
        this.visitField(node, 'value');
        return false;
      case 'parameters':
      case 'lambda_parameters':
        this.readParameters(node);
        return false;
      case 'for_statement': {
        const left = node.childForFieldName('left');
        if (left) this.defineNamesIn(left, node);
        return true;
      }
      default:
        return true;
    }
  }

  private readImport(node: SyntaxNode): void {
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        const dotted = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : dotted;
        const moduleId = dotted ? moduleIdOf(dotted) : undefined;
        if (moduleId !== undefined && local) this.imports.modules.set(local, moduleId);
      }
      return;
    }
    const moduleName = node.childForFieldName('module_name')?.text ?? '';
    const moduleId = moduleIdOf(moduleName);
    if (moduleId === undefined) {
      if (!moduleName.startsWith('aws_cdk') && moduleName !== 'constructs') this.readLocalImport(node, moduleName);
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      const imported = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported;
      if (!imported || !local) continue;
      if (moduleId === '' && imported.startsWith('aws_')) this.imports.modules.set(local, imported);
      else this.imports.names.set(local, moduleId === '' ? camelCase(imported) : `${moduleId}.${camelCase(imported)}`);
    }
  }

  /** `from network_stack import NetworkStack`: a module of the project, if the unit holds it. */
  private readLocalImport(node: SyntaxNode, module: string): void {
    for (const name of node.childrenForFieldName('name')) {
      const imported = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported;
      if (imported && local) this.localImports.set(local, { module, name: imported });
    }
  }

  private readClass(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const body = node.childForFieldName('body');
    const init = body && namedChildren(body).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === '__init__');
    const parameters = init?.childForFieldName('parameters');
    // After self, scope and the construct id come the stack's own inputs; `*args`/`**kwargs` are not names.
    const names = (parameters ? namedChildren(parameters) : [])
      .filter((parameter) => ['identifier', 'typed_parameter', 'default_parameter', 'typed_default_parameter'].includes(parameter.type))
      .map((parameter) =>
        parameter.type === 'identifier' ? parameter.text : (parameter.childForFieldName('name') ?? namedChildren(parameter).find((child) => child.type === 'identifier'))?.text,
      );
    this.classes.push({ name, keywordParameters: names.slice(3).filter((parameter): parameter is string => parameter !== undefined) });
  }

  private statementOf(node: SyntaxNode): SyntaxNode {
    return node.parent?.type === 'expression_statement' ? node.parent : node;
  }

  private readAssignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    if (!left) return;
    const right = node.childForFieldName('right');
    // `self.vpc: ec2.IVpc` only annotates.
    if (!right) return;
    const target = this.expr(left);
    if (target.kind !== 'path') {
      this.defineNamesIn(left, node);
      return;
    }
    this.definitions.push({
      name: target.path.join('.'),
      value: this.expr(right),
      targetText: left.text,
      statement: statementSite(this.statementOf(node), this.text),
    });
  }

  /** Names bound by unpacking or loops: their values are not followed. */
  private defineNamesIn(target: SyntaxNode, statement: SyntaxNode): void {
    const site = statementSite(statement, this.text);
    walk(target, (part) => {
      if (part.type === 'identifier') this.definitions.push({ name: part.text, targetText: part.text, statement: site });
      return part.type !== 'attribute';
    });
  }

  private readParameters(node: SyntaxNode): void {
    const site = statementSite(node, this.text);
    for (const parameter of namedChildren(node)) {
      const name =
        parameter.type === 'identifier'
          ? parameter
          : (parameter.childForFieldName('name') ?? namedChildren(parameter).find((child) => child.type === 'identifier'));
      if (name && name.text !== 'self') this.definitions.push({ name: name.text, targetText: name.text, statement: site });
    }
  }

  expr(node: SyntaxNode): Expr {
    const known = this.lowered[node.id];
    if (known) return known;
    const expr = this.lower(node);
    this.lowered[node.id] = expr;
    return expr;
  }

  private lower(node: SyntaxNode): Expr {
    const range = rangeOf(node);
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.expr(inner) : { kind: 'other', range };
      }
      case 'identifier':
      case 'attribute': {
        const raw = this.rawPath(node);
        return raw ? { kind: 'path', path: this.normalisePath(raw), range } : { kind: 'other', range };
      }
      case 'call':
        return this.lowerCall(node);
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', range };
      case 'string': {
        const parts = namedChildren(node);
        if (parts.some((part) => part.type === 'interpolation')) return { kind: 'other', range };
        const value = parts.filter((part) => part.type === 'string_content').map((part) => part.text).join('');
        return { kind: 'string', value, range };
      }
      case 'integer':
        return { kind: 'number', value: Number(node.text), range };
      case 'list':
      case 'tuple':
        return { kind: 'list', items: namedChildren(node).map((item) => this.expr(item)), range };
      default:
        return { kind: 'other', range };
    }
  }

  private rawPath(node: SyntaxNode): string[] | undefined {
    if (node.type === 'identifier') return [node.text];
    if (node.type !== 'attribute') return undefined;
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    const base = object ? this.rawPath(object) : undefined;
    return base && attribute ? [...base, attribute.text] : undefined;
  }

  /**
   * `self` becomes `this`; members become camelCase except the module path itself
   * (`aws_cdk.aws_ec2.Peer.any_ipv6` → `aws_cdk.aws_ec2.Peer.anyIpv6`).
   */
  private normalisePath(raw: string[]): string[] {
    let kept = 1;
    for (let length = raw.length; length >= 1; length--) {
      const moduleId = this.imports.modules.get(raw.slice(0, length).join('.'));
      if (moduleId === undefined) continue;
      kept = moduleId === '' && raw[length]?.startsWith('aws_') ? length + 1 : length;
      break;
    }
    return raw.map((segment, index) => {
      if (index === 0 && segment === 'self') return 'this';
      return index < kept ? segment : camelCase(segment);
    });
  }

  private lowerCall(node: SyntaxNode): CallExpr {
    const callee = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    const range = rangeOf(node);
    if (argsNode?.type !== 'argument_list') {
      return {
        kind: 'call',
        callee: callee ? this.expr(callee) : { kind: 'other', range },
        positional: [],
        props: { kind: 'opaque', range: argsNode ? rangeOf(argsNode) : range },
        args: { items: [], openEnd: range.end, closeStart: range.end },
        range,
      };
    }
    const argNodes = namedChildren(argsNode);
    const positional: Expr[] = [];
    const props: Prop[] = [];
    const spreadIndices: number[] = [];
    argNodes.forEach((arg, index) => {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name');
        const value = arg.childForFieldName('value');
        if (name && value) props.push({ name: camelCase(name.text), keyRange: rangeOf(name), value: this.expr(value), range: rangeOf(arg), index });
      } else if (arg.type === 'dictionary_splat') {
        spreadIndices.push(index);
      } else if (arg.type !== 'list_splat') {
        positional.push(this.expr(arg));
      }
    });
    const args = delimitedList(argsNode, argNodes);
    const site: PropsSite = { kind: 'list', props: { props, spreadIndices, list: args } };
    return { kind: 'call', callee: callee ? this.expr(callee) : { kind: 'other', range }, positional, props: site, args, range };
  }
}

/** Identifiers, literals without parts and comments (a string may hold an f-string's expressions). */
export const pythonLeaves: ReadonlySet<string> = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment']);

export function lowerPython(root: SyntaxNode, text: string): LoweredFile {
  return new PythonLowering(text).lowerFile(root);
}

export const pythonFlavor: Flavor = {
  name: snakeCase,
  bool: (value) => (value ? 'True' : 'False'),
  prop: (name, valueText) => `${name}=${valueText}`,
  newPropsArgument: (propTexts) => propTexts.join(', '),
  statement: (expression) => expression,
};
