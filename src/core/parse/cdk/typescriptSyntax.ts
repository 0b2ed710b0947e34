import type { CallExpr, ClassDeclaration, Definition, Expr, Flavor, ImportTable, LocalImport, LoweredFile, PathExpr, Prop, PropList, PropsSite } from './syntax';
import { type SyntaxNode, delimitedList, namedChildren, rangeOf, statementSite, walk } from './treeSitterNodes';

/** `aws-cdk-lib` → `''`, `aws-cdk-lib/aws-lambda-nodejs` → `aws_lambda_nodejs`, `@aws-cdk/aws-lambda-python-alpha` → `aws_lambda_python_alpha`. */
function moduleIdOf(specifier: string): string | undefined {
  if (specifier === 'aws-cdk-lib') return '';
  const match = /^(?:aws-cdk-lib\/|@aws-cdk\/)(aws-[a-z0-9-]+)$/.exec(specifier);
  return match ? match[1].replace(/-/g, '_') : undefined;
}

const wrappers = new Set(['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression', 'type_assertion']);

class TypescriptLowering {
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
        this.readImport(node);
        return false;
      case 'class_declaration':
        this.readClass(node);
        return true;
      case 'new_expression':
      case 'call_expression':
        this.calls.push(this.expr(node) as CallExpr);
        return true;
      case 'identifier':
      case 'this':
      case 'member_expression':
      case 'shorthand_property_identifier': {
        const expr = this.expr(node);
        if (expr.kind === 'path') this.paths.push(expr);
        // The chain's object is part of this path; calls and arguments inside it are visited on their own.
        return expr.kind !== 'path';
      }
      case 'variable_declarator':
        this.readDeclarator(node);
        this.visitField(node, 'value');
        return false;
      case 'assignment_expression':
        this.readAssignment(node);
        this.visitField(node, 'right');
        return false;
      case 'public_field_definition':
        this.readField(node);
        this.visitField(node, 'value');
        return false;
      case 'required_parameter':
      case 'optional_parameter':
        this.readParameter(node);
        return false;
      case 'pair':
        // A key is not a reference.
        this.visitField(node, 'value');
        return false;
      default:
        return true;
    }
  }

  private readImport(node: SyntaxNode): void {
    const source = node.childForFieldName('source');
    const moduleId = source ? moduleIdOf(source.text.slice(1, -1)) : undefined;
    const clause = namedChildren(node).find((child) => child.type === 'import_clause');
    const specifier = source?.text.slice(1, -1) ?? '';
    if (clause && (specifier.startsWith('./') || specifier.startsWith('../'))) this.readLocalImport(clause, specifier);
    if (moduleId === undefined || !clause) return;
    for (const part of namedChildren(clause)) {
      if (part.type === 'namespace_import') {
        const local = namedChildren(part)[0];
        if (local) this.imports.modules.set(local.text, moduleId);
      } else if (part.type === 'named_imports') {
        for (const specifier of namedChildren(part)) {
          const imported = specifier.childForFieldName('name')?.text;
          const local = specifier.childForFieldName('alias')?.text ?? imported;
          if (!imported || !local) continue;
          if (moduleId === '' && imported.startsWith('aws_')) this.imports.modules.set(local, imported);
          else this.imports.names.set(local, moduleId === '' ? imported : `${moduleId}.${imported}`);
        }
      }
    }
  }

  private readLocalImport(clause: SyntaxNode, module: string): void {
    for (const part of namedChildren(clause)) {
      if (part.type === 'namespace_import') {
        const local = namedChildren(part)[0];
        if (local) this.localImports.set(local.text, { module, name: '*' });
      } else if (part.type === 'named_imports') {
        for (const specifier of namedChildren(part)) {
          const imported = specifier.childForFieldName('name')?.text;
          const local = specifier.childForFieldName('alias')?.text ?? imported;
          if (imported && local) this.localImports.set(local, { module, name: imported });
        }
      }
    }
  }

  private readClass(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const members = node.childForFieldName('body');
    const constructor = members && namedChildren(members).find((member) => member.type === 'method_definition' && member.childForFieldName('name')?.text === 'constructor');
    const parameters = constructor?.childForFieldName('parameters');
    const props = parameters && namedChildren(parameters).filter((child) => child.type.endsWith('_parameter'))[2]?.childForFieldName('pattern');
    this.classes.push({ name, propsParameter: props?.type === 'identifier' ? props.text : undefined });
  }

  private statementOf(node: SyntaxNode): SyntaxNode {
    let statement = node;
    while (statement.parent && !/statement|declaration$|^public_field_definition$/.test(statement.type)) statement = statement.parent;
    return statement;
  }

  private readDeclarator(node: SyntaxNode): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const statement = statementSite(this.statementOf(node), this.text);
    const value = node.childForFieldName('value');
    if (name.type === 'identifier') {
      // `let x;` only declares: the assignment that follows is the definition.
      if (value) this.definitions.push({ name: name.text, value: this.expr(value), targetText: name.text, statement });
      return;
    }
    // Destructured names come from values we do not follow.
    walk(name, (part) => {
      if (part.type === 'identifier' || part.type === 'shorthand_property_identifier_pattern') {
        this.definitions.push({ name: part.text, targetText: part.text, statement });
      }
      return true;
    });
  }

  private readAssignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    const target = this.expr(left);
    if (target.kind !== 'path') return;
    this.definitions.push({
      name: target.path.join('.'),
      value: this.expr(right),
      targetText: left.text,
      statement: statementSite(this.statementOf(node), this.text),
    });
  }

  private readField(node: SyntaxNode): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const value = node.childForFieldName('value');
    // `readonly vpc: ec2.IVpc;` only declares the field: the constructor's assignment defines it.
    if (!value) return;
    this.definitions.push({
      name: `this.${name.text}`,
      value: this.expr(value),
      targetText: `this.${name.text}`,
      statement: statementSite(node, this.text),
    });
  }

  private readParameter(node: SyntaxNode): void {
    const pattern = node.childForFieldName('pattern');
    if (!pattern) return;
    const statement = statementSite(node, this.text);
    const isProperty = namedChildren(node).some((child) => child.type === 'accessibility_modifier' || child.text === 'readonly');
    walk(pattern, (part) => {
      if (part.type === 'identifier' || part.type === 'shorthand_property_identifier_pattern') {
        this.definitions.push({ name: part.text, targetText: part.text, statement });
        if (isProperty) this.definitions.push({ name: `this.${part.text}`, targetText: `this.${part.text}`, statement });
      }
      return true;
    });
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
    if (wrappers.has(node.type)) {
      const inner = namedChildren(node)[0];
      return inner ? this.expr(inner) : { kind: 'other', range };
    }
    switch (node.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return { kind: 'path', path: [node.text], range };
      case 'this':
        return { kind: 'path', path: ['this'], range };
      case 'member_expression': {
        const object = node.childForFieldName('object');
        const property = node.childForFieldName('property');
        const base = object ? this.expr(object) : undefined;
        if (base?.kind !== 'path' || property?.type !== 'property_identifier') return { kind: 'other', range };
        return { kind: 'path', path: [...base.path, property.text], range };
      }
      case 'new_expression':
      case 'call_expression':
        return this.lowerCall(node);
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', range };
      case 'string':
        return { kind: 'string', value: node.text.slice(1, -1), range };
      case 'number':
        return { kind: 'number', value: Number(node.text), range };
      case 'array':
        return { kind: 'list', items: namedChildren(node).map((item) => this.expr(item)), range };
      case 'object':
        return { kind: 'object', props: this.lowerObject(node), range };
      default:
        return { kind: 'other', range };
    }
  }

  private lowerCall(node: SyntaxNode): CallExpr {
    const callee = node.childForFieldName(node.type === 'new_expression' ? 'constructor' : 'function');
    const argsNode = node.childForFieldName('arguments');
    const argNodes = argsNode?.type === 'arguments' ? namedChildren(argsNode) : [];
    const positional = argNodes.map((arg) => this.expr(arg));
    const range = rangeOf(node);
    let props: PropsSite;
    if (positional.length < 3) props = { kind: 'absent' };
    else if (positional[2].kind === 'object') props = { kind: 'list', props: positional[2].props };
    else props = { kind: 'opaque', range: positional[2].range };
    return {
      kind: 'call',
      callee: callee ? this.expr(callee) : { kind: 'other', range },
      positional,
      props,
      args: argsNode ? delimitedList(argsNode, argNodes) : { items: [], openEnd: range.end, closeStart: range.end },
      range,
    };
  }

  private lowerObject(node: SyntaxNode): PropList {
    const items = namedChildren(node);
    const props: Prop[] = [];
    const spreadIndices: number[] = [];
    items.forEach((item, index) => {
      if (item.type === 'spread_element') spreadIndices.push(index);
      if (item.type === 'shorthand_property_identifier') {
        props.push({ name: item.text, keyRange: rangeOf(item), value: this.expr(item), range: rangeOf(item), index });
      }
      if (item.type === 'pair') {
        const key = item.childForFieldName('key');
        const value = item.childForFieldName('value');
        if (!key || !value) return;
        const name = key.type === 'string' ? key.text.slice(1, -1) : key.text;
        props.push({ name, keyRange: rangeOf(key), value: this.expr(value), range: rangeOf(item), index });
      }
    });
    return { props, spreadIndices, list: delimitedList(node, items) };
  }
}

/** Identifiers, literals and comments: a string's parts are never read, only its text. */
export const typescriptLeaves: ReadonlySet<string> = new Set([
  'identifier',
  'property_identifier',
  'shorthand_property_identifier',
  'shorthand_property_identifier_pattern',
  'type_identifier',
  'predefined_type',
  'this',
  'true',
  'false',
  'null',
  'undefined',
  'number',
  'string',
  'comment',
]);

export function lowerTypescript(root: SyntaxNode, text: string): LoweredFile {
  return new TypescriptLowering(text).lowerFile(root);
}

export const typescriptFlavor: Flavor = {
  name: (camel) => camel,
  bool: (value) => String(value),
  prop: (name, valueText) => `${name}: ${valueText}`,
  newPropsArgument: (propTexts) => `{ ${propTexts.join(', ')} }`,
  statement: (expression, site) => `${expression}${site.semicolon ? ';' : ''}`,
};
