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
  /** An object or map whose keys are all known. */
  | { kind: 'object'; entries: ReadonlyMap<string, Value> }
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
   * `error`: Terraform would fail to evaluate it (an index past the end, a missing key), which `try()` skips.
   */
  | { kind: 'unknown'; why: string; rootVariable?: string; error?: true };

export interface EvaluationContext {
  /**
   * Resources defined in the folder, by address; `instances` is how many count/for_each makes
   * (undefined when not known).
   */
  resource(address: string): { hasInstances: boolean; instances?: number } | undefined;
  local(name: string): Value;
  moduleOutput(module: string, output: string): Value;
  /** `var.name`: known inside a local module from its caller's arguments or the variable's default. */
  variable?(name: string): Value;
  /** Prepended to resource addresses: `module.network.` inside a local module. */
  addressPrefix?: string;
}

/** Names bound by `for` expressions, `each.key`, `each.value` and `count.index`. */
export type Scope = ReadonlyMap<string, Value>;

const noScope: Scope = new Map();

export function unknownValue(why: string): Value {
  return { kind: 'unknown', why };
}

function failure(why: string): Value {
  return { kind: 'unknown', why, error: true };
}

/** Whether two values are the same as far as this analysis knows them (unknowns never are). */
export function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'list': {
      const other = b as typeof a;
      return a.collective === other.collective && a.items.length === other.items.length && a.items.every((item, i) => sameValue(item, other.items[i]));
    }
    case 'object': {
      const other = b as typeof a;
      return a.entries.size === other.entries.size && [...a.entries].every(([key, item]) => other.entries.has(key) && sameValue(item, other.entries.get(key)!));
    }
    case 'present':
      return false;
    default:
      return JSON.stringify(a) === JSON.stringify(b);
  }
}

/**
 * What the instances of a resource (one value per count.index or each.key) have in common: the
 * value when they agree, `present` when each is a non-empty string, else unknown.
 */
export function commonValue(values: Value[], what: string): Value {
  if (values.length === 0) return unknownValue(`${what} of no instance`);
  const [first] = values;
  if (values.every((value) => sameValue(value, first))) return first;
  const failed = values.find((value) => value.kind === 'unknown');
  if (failed) return failed;
  if (values.every((value) => value.kind === 'present' || (value.kind === 'string' && value.value !== ''))) return { kind: 'present', what: `${what}, which differs between instances` };
  return unknownValue(`${what}, which differs between instances`);
}

/** Functions whose result is a non-null value derived from their arguments. */
const presentResultFunctions = new Set(['cidrsubnet', 'cidrsubnets', 'cidrhost', 'format', 'join', 'lower', 'upper', 'replace', 'trimspace']);
/** Functions that return their list argument's items (as far as which resources they name). */
const listPassThroughFunctions = new Set(['tolist', 'toset', 'distinct', 'sort']);

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
    return this.sequence(parts, types, scope);
  }

  /** A primary expression and the attribute, index and splat steps after it. */
  private sequence(parts: Node[], types: string[], scope: Scope): Value {
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

  /** An operand of an operator: its nodes are a primary expression and its steps, not wrapped in an expression node. */
  private operand(nodes: Node[], scope: Scope): Value {
    const parts = nodes.filter((node) => node.type !== 'comment');
    return this.sequence(parts, parts.map((node) => node.type), scope);
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
      case 'count':
        if (first && scope.has(`${name}.${first}`)) return { value: scope.get(`${name}.${first}`)!, consumed: 2 };
        return { value: unknownValue(`${name}.${first ?? ''}`), consumed: first ? 2 : 1 };
      case 'path':
      case 'terraform':
      case 'self':
        return { value: unknownValue(first ? `${name}.${first}` : name), consumed: first ? 2 : 1 };
    }
    if (!first) return { value: unknownValue(name), consumed: 1 };
    const address = `${this.context.addressPrefix ?? ''}${name}.${first}`;
    const resource = this.context.resource(address);
    if (!resource) return { value: unknownValue(`${address}, which is not defined in this folder`), consumed: 2 };
    // A resource with count = 0 (or an empty for_each) is an empty collection: indexing it fails, a splat is [].
    if (resource.instances === 0) return { value: { kind: 'list', items: [] }, consumed: 2 };
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
        return this.object(collection, scope);
      }
      case 'function_call':
        return this.functionCall(node, scope);
      case 'for_expr':
        return this.forExpression(node.namedChildren[0], scope);
      case 'operation':
        return this.operation(node.namedChildren[0], scope);
      case 'conditional': {
        // A module's variables are often switches: a known condition picks its branch.
        const [condition, whenTrue, whenFalse] = node.namedChildren.filter((child) => child.type === 'expression');
        if (!condition || !whenTrue || !whenFalse) return unknownValue('a conditional expression');
        const tested = this.evaluate(condition, scope);
        if (tested.kind === 'unknown' && tested.error) return tested;
        const chosen = asBoolean(tested);
        if (chosen === true) return this.evaluate(whenTrue, scope);
        if (chosen === false) return this.evaluate(whenFalse, scope);
        // Whichever branch is taken, branches that give the same value give it.
        const [ifTrue, ifFalse] = [this.evaluate(whenTrue, scope), this.evaluate(whenFalse, scope)];
        return sameValue(ifTrue, ifFalse) ? ifTrue : unknownValue('a conditional expression');
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
        if (args[0]?.kind === 'object') return { kind: 'list', items: [...args[0].entries.keys()].sort().map((key) => (args[0] as ObjectValue).entries.get(key)!) };
        if (args[0]?.kind === 'list' && args[0].items.length === 0) return args[0];
        return args[0]?.kind === 'unknown' ? args[0] : unknownValue('values()');
      case 'keys':
        if (args[0]?.kind === 'object') return { kind: 'list', items: [...args[0].entries.keys()].sort().map((key) => ({ kind: 'string', value: key })) };
        return args[0]?.kind === 'unknown' ? args[0] : unknownValue('keys()');
      case 'element':
        return args.length === 2 ? elementOf(args[0], args[1]) : unknownValue('element()');
      case 'one':
        if (args[0]?.kind === 'list' && args[0].items.length === 1) return args[0].items[0];
        if (args[0]?.kind === 'list' && args[0].items.length === 0 && !args[0].collective) return { kind: 'null' };
        return args[0]?.kind === 'unknown' ? args[0] : unknownValue('one()');
      case 'length':
        return args.length === 1 ? lengthOf(args[0]) : unknownValue('length()');
      case 'max':
      case 'min':
        return extreme(name, args);
      case 'coalesce':
        return coalesce(args);
      case 'try':
        return tryValues(args);
      case 'compact':
        return args.length === 1 ? compact(args[0]) : unknownValue('compact()');
      case 'lookup':
        return args.length === 2 || args.length === 3 ? lookup(args[0], args[1], args[2]) : unknownValue('lookup()');
      case 'merge':
        return merge(args);
    }
    return unknownValue(`the result of ${name}()`);
  }

  /** `{ key = value, … }`: an object when every key is known. */
  private object(node: Node, scope: Scope): Value {
    const entries = new Map<string, Value>();
    for (const element of node.namedChildren) {
      if (element.type !== 'object_elem') continue;
      const keyNode = element.childForFieldName('key');
      const valueNode = element.childForFieldName('val');
      if (!keyNode || !valueNode) return unknownValue('an object');
      // A bare name as the key is the key itself, not a reference (`{ Name = … }`).
      const bare = keyNode.namedChildren.length === 1 && keyNode.namedChildren[0].type === 'variable_expr' ? keyNode.namedChildren[0].text : undefined;
      const key = bare !== undefined ? { kind: 'string' as const, value: bare } : this.evaluate(keyNode, scope);
      if (key.kind !== 'string') return unknownValue(`an object key: ${whyUnknown(key, 'a string')}`);
      entries.set(key.value, this.evaluate(valueNode, scope));
    }
    return { kind: 'object', entries };
  }

  /** Unary and binary operators, with unknown operands propagating (except where the other side decides). */
  private operation(node: Node | undefined, scope: Scope): Value {
    if (!node) return unknownValue('an expression');
    const children = node.children.filter((child) => child.type !== 'comment');
    if (node.type === 'unary_operation') {
      const operator = children[0]?.text;
      const operand = this.operand(children.slice(1), scope);
      if (operand.kind === 'unknown') return operand;
      if (operator === '-' && operand.kind === 'number') return { kind: 'number', value: -operand.value };
      if (operator === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value };
      return unknownValue(`${operator}${describe(operand)}`);
    }
    if (node.type !== 'binary_operation') return unknownValue('an expression');
    const at = children.findIndex((child, i) => i > 0 && !child.isNamed);
    if (at < 0) return unknownValue('an expression');
    const operator = children[at].text;
    const left = this.operand(children.slice(0, at), scope);
    const right = this.operand(children.slice(at + 1), scope);
    return binary(operator, left, right);
  }

  private forExpression(node: Node, scope: Scope): Value {
    const intro = node.namedChildren.find((c) => c.type === 'for_intro');
    const bodies = node.namedChildren.filter((c) => c.type === 'expression');
    const condition = node.namedChildren.find((c) => c.type === 'for_cond')?.namedChildren.find((c) => c.type === 'expression');
    const producesObject = node.type === 'for_object_expr';
    if (!intro || bodies.length < (producesObject ? 2 : 1)) return unknownValue('a for expression');
    if (producesObject && node.children.some((c) => c.type === 'ellipsis')) return unknownValue('a for expression grouping by key');
    const names = intro.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text);
    const sourceNode = intro.namedChildren.find((c) => c.type === 'expression');
    const source = sourceNode ? this.evaluate(sourceNode, scope) : unknownValue('a for expression');
    const valueName = names[names.length - 1];
    const scopeFor = (key: Value, item: Value): Scope => {
      const inner = new Map(scope);
      if (names.length === 2) inner.set(names[0], key);
      inner.set(valueName, item);
      return inner;
    };
    let pairs: [Value, Value][];
    let collective = false;
    if (source.kind === 'resource' && !source.instance) {
      pairs = [[unknownValue(`the key ${names[0]}`), { ...source, instance: true }]];
      collective = true;
    } else if (source.kind === 'list') {
      pairs = source.items.map((item, i) => [source.collective ? unknownValue(`the key ${names[0]}`) : { kind: 'number', value: i }, item]);
      collective = source.collective === true;
    } else if (source.kind === 'object') {
      pairs = [...source.entries.keys()].sort().map((key) => [{ kind: 'string', value: key }, source.entries.get(key)!]);
    } else if (source.kind === 'unknown') {
      return source;
    } else {
      return unknownValue(`a for expression over ${describe(source)}`);
    }
    const kept: Scope[] = [];
    for (const [key, item] of pairs) {
      const inner = scopeFor(key, item);
      if (condition) {
        const keep = asBoolean(this.evaluate(condition, inner));
        if (keep === false) continue;
        // An item the condition may drop: the rest are no longer at known positions.
        if (keep !== true) collective = true;
      }
      kept.push(inner);
    }
    if (!producesObject) return { kind: 'list', items: kept.map((inner) => this.evaluate(bodies[0], inner)), collective };
    if (collective) return unknownValue('a for expression producing a map from items not all known');
    const entries = new Map<string, Value>();
    for (const inner of kept) {
      const key = this.evaluate(bodies[0], inner);
      if (key.kind !== 'string') return unknownValue(`a key of a for expression: ${whyUnknown(key, 'a string')}`);
      if (entries.has(key.value)) return failure(`the duplicate key "${key.value}" of a for expression`);
      entries.set(key.value, this.evaluate(bodies[1], inner));
    }
    return { kind: 'object', entries };
  }
}

type ObjectValue = Extract<Value, { kind: 'object' }>;

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

/** Values whose equality to null is known: null itself and values that certainly exist. */
function isNull(value: Value): boolean | undefined {
  if (value.kind === 'null') return true;
  if (value.kind === 'unknown') return undefined;
  if (value.kind === 'attribute') return value.name === 'id' ? false : undefined;
  return false;
}

function binary(operator: string, left: Value, right: Value): Value {
  if (operator === '&&' || operator === '||') {
    const decisive = operator === '||';
    const [a, b] = [asBoolean(left), asBoolean(right)];
    // `false && x` is false and `true || x` is true whatever x is.
    if (a === decisive || b === decisive) return { kind: 'bool', value: decisive };
    if (typeof a === 'boolean' && typeof b === 'boolean') return { kind: 'bool', value: !decisive };
    const unknownSide = typeof a === 'boolean' ? right : left;
    return unknownSide.kind === 'unknown' ? unknownSide : unknownValue(`${describe(unknownSide)}, which is not a boolean`);
  }
  if (operator === '==' || operator === '!=') {
    const equal = equality(left, right);
    if (equal === undefined) return left.kind === 'unknown' ? left : right.kind === 'unknown' ? right : unknownValue(`${describe(left)} ${operator} ${describe(right)}`);
    return { kind: 'bool', value: operator === '==' ? equal : !equal };
  }
  if (left.kind === 'unknown') return left;
  if (right.kind === 'unknown') return right;
  if (left.kind !== 'number' || right.kind !== 'number') return unknownValue(`${describe(left)} ${operator} ${describe(right)}`);
  const [a, b] = [left.value, right.value];
  switch (operator) {
    case '<':
      return { kind: 'bool', value: a < b };
    case '<=':
      return { kind: 'bool', value: a <= b };
    case '>':
      return { kind: 'bool', value: a > b };
    case '>=':
      return { kind: 'bool', value: a >= b };
    case '+':
      return { kind: 'number', value: a + b };
    case '-':
      return { kind: 'number', value: a - b };
    case '*':
      return { kind: 'number', value: a * b };
    case '/':
      return b === 0 ? failure('a division by zero') : { kind: 'number', value: a / b };
    case '%':
      return b === 0 ? failure('a modulo by zero') : { kind: 'number', value: a % b };
    default:
      return unknownValue(`the operator ${operator}`);
  }
}

/** Whether two values are equal; undefined when that is not known. */
function equality(left: Value, right: Value): boolean | undefined {
  const [leftNull, rightNull] = [isNull(left), isNull(right)];
  if (leftNull === true || rightNull === true) return leftNull === undefined || rightNull === undefined ? undefined : leftNull === rightNull;
  const literalKinds = ['string', 'number', 'bool'];
  if (literalKinds.includes(left.kind) && literalKinds.includes(right.kind)) return left.kind === right.kind && (left as { value: unknown }).value === (right as { value: unknown }).value;
  if (sameValue(left, right)) return true;
  return undefined;
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
    case 'object':
      return value.entries.get(name) ?? failure(`.${name}, which the object does not have`);
    case 'null':
      return failure(`.${name} of null`);
    default:
      return unknownValue(`.${name} of ${describe(value)}`);
  }
}

/** `list[i]` (and `object["key"]`): an index past the end fails, as in Terraform. */
function indexValue(value: Value, position: Value): Value {
  if (value.kind === 'unknown') return value;
  // The instances of a module with count/for_each share its configuration (what differs is unknown).
  if (value.kind === 'module') return value;
  if (value.kind === 'resource' && !value.instance) return { ...value, instance: true };
  if (value.kind === 'object') {
    if (position.kind !== 'string') return unknownValue(`an item of an object: ${whyUnknown(position, 'a key')}`);
    return value.entries.get(position.value) ?? failure(`the key "${position.value}", which the object does not have`);
  }
  if (value.kind === 'list') {
    if (value.collective) return value.items.length === 1 ? value.items[0] : unknownValue('an item of a list of several resources');
    if (position.kind === 'number' && Number.isInteger(position.value)) {
      return position.value >= 0 && position.value < value.items.length ? value.items[position.value] : failure(`index ${position.value} of a list of ${value.items.length}`);
    }
  }
  return unknownValue(`an item of ${describe(value)}`);
}

/** `element(list, i)` wraps around the list's end; an empty list fails. */
function elementOf(list: Value, position: Value): Value {
  if (list.kind === 'list' && !list.collective && position.kind === 'number' && Number.isInteger(position.value) && position.value >= 0) {
    return list.items.length === 0 ? failure('element() of an empty list') : list.items[position.value % list.items.length];
  }
  return indexValue(list, position);
}

function lengthOf(value: Value): Value {
  switch (value.kind) {
    case 'list':
      return value.collective ? unknownValue('the length of a list of resources with count or for_each') : { kind: 'number', value: value.items.length };
    case 'object':
      return { kind: 'number', value: value.entries.size };
    case 'string':
      return { kind: 'number', value: [...value.value].length };
    case 'unknown':
      return value;
    case 'null':
      return failure('length() of null');
    default:
      return unknownValue(`the length of ${describe(value)}`);
  }
}

function extreme(name: 'max' | 'min', args: Value[]): Value {
  const numbers: number[] = [];
  for (const arg of args) {
    if (arg.kind === 'unknown') return arg;
    if (arg.kind !== 'number') return unknownValue(`${name}() of ${describe(arg)}`);
    numbers.push(arg.value);
  }
  if (numbers.length === 0) return failure(`${name}() without arguments`);
  return { kind: 'number', value: name === 'max' ? Math.max(...numbers) : Math.min(...numbers) };
}

/** The first argument that is neither null nor ""; an unknown one before it makes the result unknown. */
function coalesce(args: Value[]): Value {
  for (const arg of args) {
    if (arg.kind === 'null' || (arg.kind === 'string' && arg.value === '')) continue;
    if (arg.kind === 'unknown' || arg.kind === 'present') return arg.kind === 'unknown' ? arg : unknownValue(`coalesce() of ${describe(arg)}, which may be ""`);
    return arg;
  }
  return failure('coalesce() with no non-null argument');
}

/** The first argument that evaluates without error; one that may fail makes the result unknown. */
function tryValues(args: Value[]): Value {
  for (const arg of args) {
    if (arg.kind === 'unknown' && arg.error) continue;
    return arg;
  }
  return failure('try() with no argument that evaluates');
}

/** The list without its null and "" items. */
function compact(value: Value): Value {
  if (value.kind !== 'list') return value.kind === 'unknown' ? value : unknownValue(`compact() of ${describe(value)}`);
  const kept = value.items.filter((item) => item.kind !== 'null' && !(item.kind === 'string' && item.value === ''));
  // An item that may be "" or null may drop out too: the others' positions are then not known.
  const mayDrop = kept.some((item) => item.kind !== 'string' && (item.kind === 'present' || isNull(item) !== false));
  return { kind: 'list', items: kept, collective: value.collective || mayDrop };
}

function lookup(map: Value, key: Value, fallback: Value | undefined): Value {
  if (map.kind === 'unknown') return map;
  if (map.kind !== 'object') return unknownValue(`lookup() in ${describe(map)}`);
  if (key.kind !== 'string') return unknownValue(`lookup() of ${whyUnknown(key, 'a key')}`);
  return map.entries.get(key.value) ?? fallback ?? failure(`the key "${key.value}", which the map does not have`);
}

/** Objects merged left to right; with an argument not known, only that the result exists. */
function merge(args: Value[]): Value {
  const entries = new Map<string, Value>();
  for (const arg of args) {
    if (arg.kind === 'null') continue;
    if (arg.kind !== 'object') return { kind: 'present', what: 'merge()' };
    for (const [key, value] of arg.entries) entries.set(key, value);
  }
  return { kind: 'object', entries };
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
    case 'object':
      return 'an object';
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
