import type { Node } from 'web-tree-sitter';
import { labelText } from './syntax';

/**
 * What an HCL expression is known to be, as far as this analysis needs: literals, lists, references
 * to resources in the folder, graph elements behind module outputs, and the reasons for everything
 * else being unknown.
 */
export type Value =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  /** `collective`: an item may stand for several instances, so positions in the list mean nothing. */
  | { kind: 'list'; items: Value[]; collective?: boolean }
  /** A resource; `instance` false for the whole collection of a resource with count/for_each. */
  | { kind: 'resource'; address: string; instance: boolean }
  | { kind: 'attribute'; address: string; name: string }
  /** A graph element reached through a module output (an id-like value). */
  | { kind: 'element'; key: string }
  | { kind: 'module'; name: string }
  /** A value that certainly exists but whose content is not modelled, e.g. `cidrsubnet(…)`. */
  | { kind: 'present'; what: string }
  /**
   * `rootVariable`: the value is exactly `var.<name>` of the root module, which the files do not
   * set but every reference to it shares (a VPC id, say, that edits can reuse by reference).
   */
  | { kind: 'unknown'; why: string; rootVariable?: string };

export interface EvaluationContext {
  /** Resources defined in the folder, by address. */
  resource(address: string): { hasInstances: boolean } | undefined;
  local(name: string): Value;
  moduleOutput(module: string, output: string): Value;
  /** `var.name`: known inside a local module from its caller's arguments or the variable's default. */
  variable?(name: string): Value;
  /** Prepended to resource addresses: `module.network.` inside a local module. */
  addressPrefix?: string;
}

/** Names bound by `for` expressions and `each.value`. */
export type Scope = ReadonlyMap<string, Value>;

const noScope: Scope = new Map();

export function unknownValue(why: string): Value {
  return { kind: 'unknown', why };
}

/** Functions whose result is a non-null value derived from their arguments. */
const presentResultFunctions = new Set(['cidrsubnet', 'cidrsubnets', 'cidrhost', 'format', 'join', 'lower', 'upper', 'replace', 'trimspace']);
/** Functions that return their list argument's items (as far as which resources they name). */
const listPassThroughFunctions = new Set(['tolist', 'toset', 'distinct', 'compact', 'sort']);

export class Evaluator {
  constructor(private readonly context: EvaluationContext) {}

  evaluate(expr: Node, scope: Scope = noScope): Value {
    // One call into the parser for the named children; asking each child whether it is named costs one each.
    // Each read of a type is a call too: the types are read once and passed along with their nodes.
    const parts: Node[] = [];
    const types: string[] = [];
    for (const child of expr.namedChildren) {
      const type = child.type;
      if (type === 'comment') continue;
      parts.push(child);
      types.push(type);
    }
    if (parts.length === 0) return unknownValue('an empty expression');
    let index = 0;
    let value: Value;
    const primary = parts[0];
    if (types[0] === 'variable_expr') {
      const resolved = this.variable(primary.text, parts, types, scope);
      value = resolved.value;
      index = resolved.consumed;
    } else {
      value = this.primary(primary, types[0], scope);
      index = 1;
    }
    for (; index < parts.length; index++) value = this.postfix(value, parts[index], types[index], scope);
    return value;
  }

  /** Resolves `var.x`, `local.x`, `data.t.n`, `module.m.out`, `aws_subnet.x`, `each.value` and for variables. */
  private variable(name: string, parts: Node[], types: string[], scope: Scope): { value: Value; consumed: number } {
    const first = types[1] === 'get_attr' ? attributeName(parts[1]) : undefined;
    if (scope.has(name)) return { value: scope.get(name)!, consumed: 1 };
    switch (name) {
      case 'var':
        if (first && this.context.variable) return { value: this.context.variable(first), consumed: 2 };
        if (first) return { value: { kind: 'unknown', why: `variable ${first}`, rootVariable: first }, consumed: 2 };
        return { value: unknownValue('variable'), consumed: 1 };
      case 'local':
        return first ? { value: this.context.local(first), consumed: 2 } : { value: unknownValue('local'), consumed: 1 };
      case 'data': {
        const dataName = types[2] === 'get_attr' ? attributeName(parts[2]) : undefined;
        return { value: unknownValue(`data source data.${first}.${dataName}`), consumed: dataName ? 3 : parts.length };
      }
      case 'module':
        return first ? { value: { kind: 'module', name: first }, consumed: 2 } : { value: unknownValue('module'), consumed: 1 };
      case 'each':
        if (first === 'value' && scope.has('each.value')) return { value: scope.get('each.value')!, consumed: 2 };
        return { value: unknownValue(`each.${first ?? ''}`), consumed: first ? 2 : 1 };
      case 'count':
      case 'path':
      case 'terraform':
      case 'self':
        return { value: unknownValue(first ? `${name}.${first}` : name), consumed: first ? 2 : 1 };
    }
    if (!first) return { value: unknownValue(name), consumed: 1 };
    const address = `${this.context.addressPrefix ?? ''}${name}.${first}`;
    const resource = this.context.resource(address);
    if (!resource) return { value: unknownValue(`${address}, which is not defined in this folder`), consumed: 2 };
    return { value: { kind: 'resource', address, instance: !resource.hasInstances }, consumed: 2 };
  }

  private primary(node: Node, type: string, scope: Scope): Value {
    switch (type) {
      case 'expression':
        return this.evaluate(node, scope);
      case 'literal_value':
        return literal(node.namedChildren[0]);
      case 'template_expr':
        return template(node);
      case 'collection_value': {
        const collection = node.namedChildren[0];
        if (collection.type === 'tuple') {
          return { kind: 'list', items: collection.namedChildren.filter((c) => c.type === 'expression').map((c) => this.evaluate(c, scope)) };
        }
        return unknownValue('an object');
      }
      case 'function_call':
        return this.functionCall(node, scope);
      case 'for_expr':
        return this.forExpression(node.namedChildren[0], scope);
      case 'operation':
        return operation(node);
      case 'conditional': {
        // A module's variables are often switches: a known condition picks its branch.
        const [condition, whenTrue, whenFalse] = node.namedChildren.filter((child) => child.type === 'expression');
        const chosen = condition && whenTrue && whenFalse ? asBoolean(this.evaluate(condition, scope)) : undefined;
        if (chosen === true) return this.evaluate(whenTrue, scope);
        if (chosen === false) return this.evaluate(whenFalse, scope);
        return unknownValue('a conditional expression');
      }
      default:
        return unknownValue(`an expression (${type})`);
    }
  }

  private postfix(value: Value, node: Node, type: string, scope: Scope): Value {
    // `var.x.y` or `var.x[0]` is not the variable itself.
    if (value.kind === 'unknown') return value.rootVariable ? unknownValue(value.why) : value;
    switch (type) {
      case 'get_attr':
        return getAttribute(value, attributeName(node) ?? '', this.context);
      case 'index': {
        const inner = node.namedChildren[0];
        const key = inner?.type === 'new_index' ? inner.namedChildren.find((c) => c.type === 'expression') : undefined;
        const position = key ? this.evaluate(key, scope) : legacyIndex(inner);
        return indexValue(value, position);
      }
      case 'splat': {
        const splat = node.namedChildren[0];
        const steps = splat?.namedChildren ?? [];
        const stepTypes = steps.map((step) => step.type);
        const apply = (item: Value): Value => steps.reduce((current, step, i) => this.postfix(current, step, stepTypes[i], scope), item);
        if (value.kind === 'resource' && !value.instance) {
          return { kind: 'list', items: [apply({ ...value, instance: true })], collective: true };
        }
        if (value.kind === 'list') return { kind: 'list', items: value.items.map(apply), collective: value.collective };
        if (value.kind === 'null') return { kind: 'list', items: [] };
        return { kind: 'list', items: [apply(value)] };
      }
      default:
        return unknownValue(`an expression (${type})`);
    }
  }

  private functionCall(node: Node, scope: Scope): Value {
    const name = node.namedChildren[0]?.text ?? '';
    const argumentsNode = node.namedChildren.find((c) => c.type === 'function_arguments');
    const argumentNodes: Node[] = [];
    for (const child of argumentsNode?.children ?? []) {
      const type = child.type;
      if (type === 'ellipsis') return unknownValue(`${name}(…) with expanded arguments`);
      if (type === 'expression') argumentNodes.push(child);
    }
    const args = argumentNodes.map((c) => this.evaluate(c, scope));
    if (presentResultFunctions.has(name)) return { kind: 'present', what: `${name}()` };
    if (listPassThroughFunctions.has(name) && args.length === 1) return args[0];
    switch (name) {
      case 'concat':
        return concatenate(args);
      case 'flatten':
        return args.length === 1 ? flattenValue(args[0]) : unknownValue('flatten()');
      case 'values':
        if (args[0]?.kind === 'resource' && !args[0].instance) {
          return { kind: 'list', items: [{ ...args[0], instance: true }], collective: true };
        }
        return args[0]?.kind === 'unknown' ? args[0] : unknownValue('values()');
      case 'element':
        return args.length === 2 ? indexValue(args[0], args[1]) : unknownValue('element()');
      case 'one':
        if (args[0]?.kind === 'list' && args[0].items.length === 1) return args[0].items[0];
        return args[0]?.kind === 'unknown' ? args[0] : unknownValue('one()');
    }
    return unknownValue(`the result of ${name}()`);
  }

  private forExpression(node: Node, scope: Scope): Value {
    if (node.type !== 'for_tuple_expr') return unknownValue('a for expression producing a map');
    const intro = node.namedChildren.find((c) => c.type === 'for_intro');
    const body = node.namedChildren.find((c) => c.type === 'expression');
    const filtered = node.namedChildren.some((c) => c.type === 'for_cond');
    if (!intro || !body) return unknownValue('a for expression');
    const names = intro.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text);
    const sourceNode = intro.namedChildren.find((c) => c.type === 'expression');
    const source = sourceNode ? this.evaluate(sourceNode, scope) : unknownValue('a for expression');
    const valueName = names[names.length - 1];
    const bodyFor = (item: Value): Value => {
      const inner = new Map(scope);
      if (names.length === 2) inner.set(names[0], unknownValue(`the key ${names[0]}`));
      inner.set(valueName, item);
      return this.evaluate(body, inner);
    };
    if (source.kind === 'resource' && !source.instance) {
      return { kind: 'list', items: [bodyFor({ ...source, instance: true })], collective: true };
    }
    if (source.kind === 'list') return { kind: 'list', items: source.items.map(bodyFor), collective: source.collective || filtered };
    if (source.kind === 'unknown') return source;
    return unknownValue('a for expression');
  }
}

/**
 * The name in `.name`. A get_attr is the dot, then spaces or comments, then the name; without a
 * comment (which needs `#` or `/`) the name is its text after the dot and spaces, read without
 * making nodes for its two children.
 */
function attributeName(getAttr: Node): string | undefined {
  const text = getAttr.text;
  if (!text.includes('#') && !text.includes('/')) return text.slice(1).trimStart();
  return getAttr.children.find((c) => c.type === 'identifier')?.text;
}

function literal(node: Node | undefined): Value {
  switch (node?.type) {
    case 'string_lit':
      return { kind: 'string', value: labelText(node) };
    case 'numeric_lit':
      return { kind: 'number', value: Number(node.text) };
    case 'bool_lit':
      return { kind: 'bool', value: node.text === 'true' };
    case 'null_lit':
      return { kind: 'null' };
    default:
      return unknownValue('a literal');
  }
}

function template(node: Node): Value {
  const quoted = node.namedChildren[0];
  if (quoted?.type !== 'quoted_template') return { kind: 'present', what: 'a heredoc' };
  let value = '';
  for (const part of quoted.namedChildren) {
    const type = part.type;
    if (type === 'quoted_template_start' || type === 'quoted_template_end') continue;
    if (type !== 'template_literal' && type !== 'escape_sequence') return { kind: 'present', what: 'a string template' };
    value += part.text;
  }
  return { kind: 'string', value };
}

function operation(node: Node): Value {
  const unary = node.namedChildren[0];
  if (unary?.type === 'unary_operation') {
    const operand = literal(unary.namedChildren.find((c) => c.type === 'literal_value')?.namedChildren[0]);
    const operator = unary.children[0]?.text;
    if (operator === '-' && operand.kind === 'number') return { kind: 'number', value: -operand.value };
    if (operator === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value };
  }
  return unknownValue('an expression');
}

function legacyIndex(node: Node | undefined): Value {
  const digits = node?.text.replace(/^\./, '');
  return digits && /^\d+$/.test(digits) ? { kind: 'number', value: Number(digits) } : unknownValue('an index');
}

function getAttribute(value: Value, name: string, context: EvaluationContext): Value {
  switch (value.kind) {
    case 'resource':
      return value.instance
        ? { kind: 'attribute', address: value.address, name }
        : unknownValue(`${value.address}.${name} without an instance index`);
    case 'module':
      return context.moduleOutput(value.name, name);
    default:
      return unknownValue(`.${name} of ${describe(value)}`);
  }
}

function indexValue(value: Value, position: Value): Value {
  if (value.kind === 'unknown') return value;
  // The instances of a module with count/for_each share its configuration (what differs is unknown).
  if (value.kind === 'module') return value;
  if (value.kind === 'resource' && !value.instance) return { ...value, instance: true };
  if (value.kind === 'list') {
    if (value.collective) return value.items.length === 1 ? value.items[0] : unknownValue('an item of a list of several resources');
    if (position.kind === 'number' && Number.isInteger(position.value) && value.items.length > 0) {
      return value.items[position.value % value.items.length];
    }
  }
  return unknownValue(`an item of ${describe(value)}`);
}

function concatenate(args: Value[]): Value {
  const items: Value[] = [];
  let collective = false;
  for (const arg of args) {
    if (arg.kind === 'list') {
      items.push(...arg.items);
      collective ||= arg.collective === true;
    } else if (arg.kind === 'unknown') {
      // Its items are unknown, their number too; the known ones are still attached.
      items.push(arg);
      collective = true;
    } else {
      return unknownValue('concat() of something that is not a list');
    }
  }
  return { kind: 'list', items, collective };
}

function flattenValue(value: Value): Value {
  if (value.kind !== 'list') return value;
  const items: Value[] = [];
  let collective = value.collective === true;
  for (const item of value.items) {
    const flat = flattenValue(item);
    if (flat.kind === 'list') {
      items.push(...flat.items);
      collective ||= flat.collective === true;
    } else {
      items.push(flat);
      collective ||= flat.kind === 'unknown';
    }
  }
  return { kind: 'list', items, collective };
}

function describe(value: Value): string {
  switch (value.kind) {
    case 'string':
      return `"${value.value}"`;
    case 'attribute':
      return `${value.address}.${value.name}`;
    case 'resource':
      return value.address;
    case 'element':
      return value.key;
    case 'module':
      return `module.${value.name}`;
    case 'present':
      return value.what;
    case 'unknown':
      return value.why;
    default:
      return `a ${value.kind}`;
  }
}

/** true/false literals; null → undefined (absent); anything else is unknown. */
export function asBoolean(value: Value): boolean | undefined | { unknown: true; why: string } {
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'null') return undefined;
  return { unknown: true, why: value.kind === 'unknown' ? value.why : `${describe(value)}, which is not a boolean` };
}

export function whyUnknown(value: Value, expected: string): string {
  return value.kind === 'unknown' ? value.why : `${describe(value)}, which is not ${expected}`;
}
