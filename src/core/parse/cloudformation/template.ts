/** A template's sections and how its references resolve, over the shared value tree. */
import type { Known, Unknown } from '../../model/graph';
import { isUnknown, unknown } from '../../model/graph';
import type { MapNode, PairNode, ParsedTemplate, ValueNode } from './valueTree';
import { asPlainMap, intrinsicOf, pairOf, scalarText, valueOf } from './valueTree';

export interface TemplateResource {
  logicalId: string;
  pair: PairNode;
  /** The resource's definition map (`Type`, `Properties`, …). */
  definition: MapNode;
  type: string | undefined;
  properties: MapNode | undefined;
}

/** How a reference resolved: to a resource of this template, or to nothing the template establishes. */
export type Reference = { key: string } | { unknown: Unknown; outsideTemplate: boolean };

export class Template {
  readonly resources = new Map<string, TemplateResource>();
  readonly resourceOrder: TemplateResource[] = [];
  private readonly resourcesByType = new Map<string, TemplateResource[]>();
  readonly parameters = new Set<string>();
  /** The `Parameters` section, where fixes add a parameter. */
  readonly parametersMap: MapNode | undefined;
  readonly resourcesMap: MapNode | undefined;
  readonly globalsFunction: MapNode | undefined;
  /** Parameters with a `Default` written as a literal: what an export or import name built from them reads. */
  private readonly parameterDefaults = new Map<string, string>();
  /** `Outputs.*.Export.Name` pairs, each with its output's `Value`. */
  private readonly exportPairs: { name: ValueNode | undefined; value: ValueNode | undefined }[] = [];
  /**
   * The `Parameters` each stack of the unit that nests this template passes; a parameter one of
   * them passes takes that value rather than its default.
   */
  nestingParameters: (MapNode | undefined)[] = [];
  /**
   * Resolves an export name to a resource of another template of the unit; absent when the
   * template is analysed alone, where every import is unknown.
   */
  importedReference?: (exportName: string, types: readonly string[]) => Reference | undefined;
  /** `Outputs.*.Value` by output name. */
  readonly outputs = new Map<string, ValueNode | undefined>();
  /** A parameter's value as the one stack that nests this template passes it; absent otherwise. */
  parameterReference?: (name: string, types: readonly string[]) => Reference | undefined;
  /** `!GetAtt Stack.Outputs.Name` of a nested stack whose template is in the unit. */
  stackOutputReference?: (stackLogicalId: string, output: string, types: readonly string[]) => Reference | undefined;

  /**
   * @param stackName the name the stack is deployed under, when the files establish it (a cloud
   *   assembly's manifest): what `${AWS::StackName}` reads in export and import names.
   */
  constructor(
    readonly parsed: ParsedTemplate,
    readonly stackName?: string,
  ) {
    const root = asPlainMap(parsed.root);
    this.resourcesMap = asPlainMap(valueOf(root, 'Resources'));
    this.globalsFunction = asPlainMap(valueOf(asPlainMap(valueOf(root, 'Globals')), 'Function'));
    this.parametersMap = asPlainMap(valueOf(root, 'Parameters'));
    for (const pair of this.parametersMap?.pairs ?? []) {
      this.parameters.add(pair.key);
      const fallback = scalarText(valueOf(asPlainMap(pair.value), 'Default'));
      if (fallback !== undefined) this.parameterDefaults.set(pair.key, fallback);
    }
    for (const pair of asPlainMap(valueOf(root, 'Outputs'))?.pairs ?? []) {
      const output = asPlainMap(pair.value);
      const exported = pairOf(asPlainMap(valueOf(output, 'Export')), 'Name');
      if (exported) this.exportPairs.push({ name: exported.value, value: valueOf(output, 'Value') });
      this.outputs.set(pair.key, valueOf(output, 'Value'));
    }
    for (const pair of this.resourcesMap?.pairs ?? []) {
      const definition = asPlainMap(pair.value);
      if (!definition) continue;
      const resource: TemplateResource = {
        logicalId: pair.key,
        pair,
        definition,
        type: scalarText(valueOf(definition, 'Type')),
        properties: asPlainMap(valueOf(definition, 'Properties')),
      };
      this.resources.set(pair.key, resource);
      this.resourceOrder.push(resource);
      if (resource.type === undefined) continue;
      const sameType = this.resourcesByType.get(resource.type);
      if (sameType) sameType.push(resource);
      else this.resourcesByType.set(resource.type, [resource]);
    }
  }

  /**
   * `Outputs.*.Value` by export name, for the names the template establishes (see {@link nameOf});
   * read after the unit is linked, as a nesting stack may pass the parameters a name is built from.
   */
  exports(): Map<string, ValueNode | undefined> {
    const exports = new Map<string, ValueNode | undefined>();
    for (const { name, value } of this.exportPairs) {
      const known = this.nameOf(name);
      if (known !== undefined && !exports.has(known)) exports.set(known, value);
    }
    return exports;
  }

  /**
   * An export or import name: a literal, or an `Fn::Sub` whose every variable is known: the stack's
   * name (`${AWS::StackName}`, known inside a cloud assembly), a parameter's value (what every
   * nesting stack passes, else its literal `Default`), or a literal entry of the Sub's own variable
   * map. Any other variable (a region, a resource's attribute) leaves the name unknown.
   */
  nameOf(node: ValueNode | undefined): string | undefined {
    const literal = scalarText(node);
    if (literal !== undefined) return literal;
    const call = intrinsicOf(node);
    if (call?.name !== 'Fn::Sub') return undefined;
    const [pattern, variables] = call.argument?.kind === 'seq' ? [scalarText(call.argument.items[0]), asPlainMap(call.argument.items[1])] : [scalarText(call.argument), undefined];
    if (pattern === undefined) return undefined;
    let complete = true;
    const name = pattern.replace(/\$\{([^}]*)\}/g, (_whole, variable: string) => {
      // `${!Literal}` writes `${Literal}`.
      if (variable.startsWith('!')) return `\${${variable.slice(1)}}`;
      const value = this.subVariable(variable.trim(), variables);
      if (value === undefined) complete = false;
      return value ?? '';
    });
    return complete ? name : undefined;
  }

  private subVariable(variable: string, variables: MapNode | undefined): string | undefined {
    const own = valueOf(variables, variable);
    if (own === undefined) return this.namedValue(variable);
    const literal = scalarText(own);
    if (literal !== undefined) return literal;
    const call = intrinsicOf(own);
    const referenced = call?.name === 'Ref' ? scalarText(call.argument) : undefined;
    return referenced !== undefined ? this.namedValue(referenced) : undefined;
  }

  /** A pseudo parameter or parameter as a string, when the files establish it. */
  private namedValue(name: string): string | undefined {
    if (name === 'AWS::StackName') return this.stackName;
    if (!this.parameters.has(name)) return undefined;
    const passed = this.nestingParameters.map((parameters) => valueOf(parameters, name));
    if (passed.every((value) => value === undefined)) return this.parameterDefaults.get(name);
    // Every nesting stack must pass the same literal; a stack that passes nothing leaves the default, which may differ.
    const literals = new Set(passed.map((value) => (value === undefined ? this.parameterDefaults.get(name) : scalarText(value))));
    const [only] = literals;
    return literals.size === 1 ? only : undefined;
  }

  /** The first logical id defined twice, which CloudFormation rejects. */
  duplicateLogicalId(): PairNode | undefined {
    const seen = new Set<string>();
    for (const pair of this.resourcesMap?.pairs ?? []) {
      if (seen.has(pair.key)) return pair;
      seen.add(pair.key);
    }
    return undefined;
  }

  /** The resources of the given types, in template order. */
  ofType(...types: string[]): readonly TemplateResource[] {
    const present = types.filter((type) => this.resourcesByType.has(type));
    if (present.length <= 1) return present.length ? this.resourcesByType.get(present[0])! : [];
    return this.resourceOrder.filter((resource) => resource.type !== undefined && present.includes(resource.type));
  }

  /**
   * Resolves `Ref`, `Fn::GetAtt`, `Fn::Sub "${X}"` and agreeing `Fn::If` branches to a resource of one
   * of the given types. Parameters, imports, literal ids and the like stay unknown.
   */
  reference(node: ValueNode | undefined, types: readonly string[]): Reference {
    if (!node) return { unknown: unknown('no value'), outsideTemplate: true };
    const literal = scalarText(node);
    if (literal !== undefined) return { unknown: unknown(`${literal} (an id not defined in this template)`), outsideTemplate: true };
    const call = intrinsicOf(node);
    if (!call) return { unknown: unknown('a value that is not a reference'), outsideTemplate: true };
    switch (call.name) {
      case 'Ref':
        return this.logicalIdReference(scalarText(call.argument), types);
      case 'Fn::GetAtt': {
        const [target, attribute] = getAttParts(call.argument);
        const nested = target !== undefined && attribute?.startsWith('Outputs.') ? this.stackOutputReference?.(target, attribute.slice('Outputs.'.length), types) : undefined;
        return nested ?? this.logicalIdReference(target, types);
      }
      case 'Fn::Sub': {
        const whole = /^\$\{([A-Za-z0-9]+)\}$/.exec(scalarText(call.argument) ?? '');
        return whole ? this.logicalIdReference(whole[1], types) : { unknown: unknown('an Fn::Sub string'), outsideTemplate: false };
      }
      case 'Fn::ImportValue': {
        const name = this.nameOf(call.argument);
        const imported = name !== undefined ? this.importedReference?.(name, types) : undefined;
        return imported ?? { unknown: unknown(name ? `imported value ${name}` : 'an imported value'), outsideTemplate: true };
      }
      case 'Fn::If': {
        const branches = ifBranches(call.argument);
        if (!branches) return { unknown: unknown('a malformed Fn::If'), outsideTemplate: false };
        const [whenTrue, whenFalse] = branches.values.map((branch) => this.reference(branch, types));
        if ('key' in whenTrue && 'key' in whenFalse && whenTrue.key === whenFalse.key) return whenTrue;
        const outsideTemplate = !('key' in whenTrue) && whenTrue.outsideTemplate && !('key' in whenFalse) && whenFalse.outsideTemplate;
        return { unknown: unknown(`condition ${branches.condition}`), outsideTemplate };
      }
      case 'Fn::FindInMap':
        return { unknown: unknown('a mapping lookup'), outsideTemplate: true };
      default:
        return { unknown: unknown(`an ${call.name} expression`), outsideTemplate: false };
    }
  }

  /**
   * The name of this template's own parameter when the node is `!Ref` to it and no parent stack
   * passes it a value the unit knows: a VPC, say, that the template takes by id and reuses.
   */
  ownParameter(node: ValueNode | undefined, types: readonly string[]): string | undefined {
    const call = intrinsicOf(node);
    const name = call?.name === 'Ref' ? scalarText(call.argument) : undefined;
    if (name === undefined || !this.parameters.has(name) || this.resources.has(name)) return undefined;
    return this.parameterReference?.(name, types) === undefined ? name : undefined;
  }

  resolve(node: ValueNode | undefined, types: readonly string[]): Known<string> {
    const reference = this.reference(node, types);
    return 'key' in reference ? reference.key : reference.unknown;
  }

  private logicalIdReference(logicalId: string | undefined, types: readonly string[]): Reference {
    if (!logicalId) return { unknown: unknown('an empty reference'), outsideTemplate: false };
    const resource = this.resources.get(logicalId);
    if (resource) {
      if (resource.type && types.includes(resource.type)) return { key: logicalId };
      return { unknown: unknown(`${logicalId} is a ${resource.type ?? 'resource without a Type'}`), outsideTemplate: true };
    }
    if (this.parameters.has(logicalId)) return this.parameterReference?.(logicalId, types) ?? { unknown: unknown(`parameter ${logicalId}`), outsideTemplate: true };
    if (logicalId.startsWith('AWS::')) return { unknown: unknown(`pseudo parameter ${logicalId}`), outsideTemplate: true };
    return { unknown: unknown(`${logicalId}, which this template does not define`), outsideTemplate: true };
  }

  /**
   * A list of references (`SubnetIds`, `SecurityGroupIds`): each entry resolved, or Unknown for the
   * whole list when the list itself comes from a parameter, a split string, a condition, …
   */
  referenceList(node: ValueNode | undefined, types: readonly string[], what: string): Known<Known<string>[]> {
    if (!node) return [];
    const call = intrinsicOf(node);
    if (call) {
      if (call.name === 'Ref') {
        const name = scalarText(call.argument) ?? '';
        return unknown(this.parameters.has(name) ? `parameter ${name}` : `${what} from Ref ${name}`);
      }
      if (call.name === 'Fn::If') {
        const branches = ifBranches(call.argument);
        if (branches) {
          const [whenTrue, whenFalse] = branches.values.map((branch) => this.referenceList(branch, types, what));
          if (sameKeys(whenTrue, whenFalse)) return whenTrue;
          return unknown(`condition ${branches.condition}`);
        }
      }
      return unknown(`${what} from an ${call.name} expression`);
    }
    if (node.kind !== 'seq') return unknown(`${what} is not a list`);
    return node.items.map((item) => this.resolve(item, types));
  }
}

function sameKeys(a: Known<Known<string>[]>, b: Known<Known<string>[]>): boolean {
  if (isUnknown(a) || isUnknown(b) || a.length !== b.length) return false;
  return a.every((entry, index) => typeof entry === 'string' && entry === b[index]);
}

/** `X.Attr.Path` or `[X, Attr.Path]` → the logical id and the attribute. */
function getAttParts(argument: ValueNode | undefined): [string | undefined, string | undefined] {
  const dotted = scalarText(argument);
  if (dotted !== undefined) {
    const dot = dotted.indexOf('.');
    return dot < 0 ? [dotted, undefined] : [dotted.slice(0, dot), dotted.slice(dot + 1)];
  }
  return argument?.kind === 'seq' ? [scalarText(argument.items[0]), scalarText(argument.items[1])] : [undefined, undefined];
}

export function ifBranches(argument: ValueNode | undefined): { condition: string; values: [ValueNode | undefined, ValueNode | undefined] } | undefined {
  if (argument?.kind !== 'seq' || argument.items.length !== 3) return undefined;
  return { condition: scalarText(argument.items[0]) ?? 'of an Fn::If', values: [argument.items[1], argument.items[2]] };
}

export function isNoValue(node: ValueNode | undefined): boolean {
  const call = intrinsicOf(node);
  return call?.name === 'Ref' && scalarText(call.argument) === 'AWS::NoValue';
}

/**
 * Whether a property is there: absent is known false; any value, even a parameter, counts as
 * present; an `Fn::If` that may give `AWS::NoValue` is unknown.
 */
export function presence(pair: PairNode | undefined): Known<boolean> {
  if (!pair?.value || isNoValue(pair.value)) return false;
  const call = intrinsicOf(pair.value);
  if (call?.name === 'Fn::If') {
    const branches = ifBranches(call.argument);
    if (branches && branches.values.some(isNoValue)) return unknown(`condition ${branches.condition}`);
  }
  return true;
}

/** A boolean property: true/false (or their strings, which CloudFormation accepts); anything else unknown. */
export function booleanValue(pair: PairNode | undefined, what: string): Known<boolean | undefined> {
  if (!pair?.value || isNoValue(pair.value)) return undefined;
  const node = pair.value;
  if (node.kind === 'scalar' && !node.tag) {
    if (typeof node.value === 'boolean') return node.value;
    if (typeof node.value === 'string' && /^(true|false)$/i.test(node.value)) return node.value.toLowerCase() === 'true';
    return unknown(`${what} is ${JSON.stringify(node.value)}, not true or false`);
  }
  const call = intrinsicOf(node);
  if (call?.name === 'Ref') return unknown(`parameter ${scalarText(call.argument) ?? ''}`.trim());
  if (call?.name === 'Fn::If') return unknown(`condition ${ifBranches(call.argument)?.condition ?? ''}`.trim());
  return unknown(`${what} is an expression`);
}

/** `Metadata: {ipv6-lambda: {ignore: [...]}}` on a resource. */
export function ignoredRules(resource: TemplateResource): string[] | undefined {
  const ignore = valueOf(asPlainMap(valueOf(asPlainMap(valueOf(resource.definition, 'Metadata')), 'ipv6-lambda')), 'ignore');
  if (!ignore) return undefined;
  const single = scalarText(ignore);
  if (single !== undefined) return [single];
  if (ignore.kind !== 'seq') return undefined;
  const ids = ignore.items.flatMap((item) => scalarText(item) ?? []);
  return ids.length ? ids : undefined;
}

