/**
 * The templates of one folder analysed together: `Fn::ImportValue` of a name another template
 * exports resolves to that template's resource. Each template keeps its own graph and fix builder;
 * in the unit its element keys are qualified by the template (`network.PrivateSubnet`), so that
 * logical ids of different templates never meet.
 */
import * as path from 'node:path';
import type { Known, LambdaFunction, ResourceGraph, Route, RouteTable, SecurityGroup } from '../../model/graph';
import { isKnown } from '../../model/graph';
import type { EditsWithCreates, FixBuilder, Ipv6EgressVariant } from '../../model/fixes';
import type { Reference, Template, TemplateResource } from './template';
import type { ValueNode } from './valueTree';
import { asPlainMap, intrinsicOf, scalarText, valueOf } from './valueTree';

/** A reference resolved in another template of the unit, in the unit's keys. */
function qualified(reference: Reference, prefix: string): Reference {
  return 'key' in reference && !reference.key.includes('.') ? { key: prefix + reference.key } : reference;
}

/** A stack resource of a template that nests another template of the unit. */
export interface NestedStack {
  parent: number;
  resource: TemplateResource;
  child: number;
}

const NESTING_PROPERTY: Record<string, string> = { 'AWS::CloudFormation::Stack': 'TemplateURL', 'AWS::Serverless::Application': 'Location' };

function normalPath(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/'));
}

/**
 * Nested stacks whose template is a local path (`TemplateURL: ./network.yaml`, SAM `Location:
 * network.yaml`) to another template of the unit; URLs of uploaded templates are not followed.
 */
export function nestedStacks(templates: Template[], files: string[]): NestedStack[] {
  const indexOf = new Map(files.map((file, i) => [normalPath(file), i]));
  const stacks: NestedStack[] = [];
  templates.forEach((template, parent) => {
    for (const resource of template.ofType(...Object.keys(NESTING_PROPERTY))) {
      const location = scalarText(valueOf(resource.properties, NESTING_PROPERTY[resource.type!]));
      if (location === undefined || /^[a-z][a-z0-9+.-]*:/i.test(location)) continue;
      const child = indexOf.get(normalPath(path.posix.join(path.posix.dirname(normalPath(files[parent])), location)));
      if (child !== undefined && child !== parent) stacks.push({ parent, resource, child });
    }
  });
  return stacks;
}

/**
 * A nested template's parameters take the values its stack resource passes, when exactly one stack
 * nests it (several stacks may pass different values); a parent reads the nested stack's outputs.
 */
export function linkNestedStacks(templates: Template[], files: string[], prefixes: string[]): void {
  const stacks = nestedStacks(templates, files);
  const byParent = new Map<number, NestedStack[]>();
  for (const stack of stacks) byParent.set(stack.parent, [...(byParent.get(stack.parent) ?? []), stack]);
  templates.forEach((template, child) => {
    const nesting = stacks.filter((stack) => stack.child === child);
    template.nestingParameters = nesting.map((stack) => asPlainMap(valueOf(stack.resource.properties, 'Parameters')));
    if (nesting.length !== 1) return;
    const [{ parent, resource }] = nesting;
    const passed = asPlainMap(valueOf(resource.properties, 'Parameters'));
    template.parameterReference = (name, types) => {
      const value = valueOf(passed, name);
      return value === undefined ? undefined : qualified(templates[parent].reference(value, types), prefixes[parent]);
    };
  });
  for (const [parent, nested] of byParent) {
    templates[parent].stackOutputReference = (stackLogicalId, output, types) => {
      const stack = nested.find((candidate) => candidate.resource.logicalId === stackLogicalId);
      if (!stack || !templates[stack.child].outputs.has(output)) return undefined;
      return qualified(templates[stack.child].reference(templates[stack.child].outputs.get(output), types), prefixes[stack.child]);
    };
  }
}

/** How a template's keys read in the unit: `network.PrivateSubnet` for network.yaml. */
export function templatePrefixes(files: string[]): string[] {
  // Up to the first dot: `Network.template.json` reads `Network.`, and keys keep one dot.
  const stems = files.map((file) => path.posix.basename(file.replace(/\\/g, '/')).replace(/\..*$/, ''));
  return stems.map((stem, i) => (stems.indexOf(stem) === i && stems.lastIndexOf(stem) === i ? `${stem}.` : `${stem}${i + 1}.`));
}

/** The export names a template imports by a name it establishes (see {@link Template.nameOf}), anywhere in it. */
export function importedNames(template: Template): Set<string> {
  const names = new Set<string>();
  const visit = (node: ValueNode | undefined): void => {
    if (!node) return;
    const call = intrinsicOf(node);
    if (call?.name === 'Fn::ImportValue') {
      const name = template.nameOf(call.argument);
      if (name !== undefined) names.add(name);
    }
    if (node.kind === 'map') node.pairs.forEach((pair) => visit(pair.value));
    else if (node.kind === 'seq') node.items.forEach(visit);
  };
  visit(template.parsed.root);
  return names;
}

/** Lets each template import what the others export (only the first exporter of a name counts, as AWS allows one); after {@link linkNestedStacks}, whose parameters names may read. */
export function linkImports(templates: Template[], prefixes: string[]): void {
  const exporters = new Map<string, { exporter: number; value: ValueNode | undefined }>();
  templates.forEach((template, i) => {
    for (const [name, value] of template.exports()) if (!exporters.has(name)) exporters.set(name, { exporter: i, value });
  });
  // An export whose value imports again is followed a few steps, never in a circle.
  let depth = 0;
  templates.forEach((template) => {
    template.importedReference = (name, types): Reference | undefined => {
      const exported = exporters.get(name);
      if (exported === undefined || depth > 4) return undefined;
      depth++;
      try {
        return qualified(templates[exported.exporter].reference(exported.value, types), prefixes[exported.exporter]);
      } finally {
        depth--;
      }
    };
  });
}

type Rename = (key: string) => string;

function renameKnown(value: Known<string>, rename: Rename): Known<string> {
  return isKnown(value) ? rename(value) : value;
}

function renameList(value: Known<Known<string>[]>, rename: Rename): Known<Known<string>[]> {
  return isKnown(value) ? value.map((entry) => renameKnown(entry, rename)) : value;
}

/** The graph with every key that names one of the template's own resources renamed. */
export function renameGraph(graph: ResourceGraph, rename: Rename): ResourceGraph {
  return {
    functions: graph.functions.map((fn) => renameFunction(fn, rename)),
    vpcs: graph.vpcs.map((vpc) => ({ ...vpc, key: rename(vpc.key) })),
    subnets: graph.subnets.map((subnet) => ({ ...subnet, key: rename(subnet.key), vpc: renameKnown(subnet.vpc, rename) })),
    routeTables: graph.routeTables.map((table) => renameTable(table, rename)),
    routes: graph.routes.map((route) => renameRoute(route, rename)),
    associations: graph.associations.map((association) => ({
      ...association,
      key: rename(association.key),
      subnet: renameKnown(association.subnet, rename),
      table: renameKnown(association.table, rename),
    })),
    gateways: graph.gateways.map((gateway) => ({ ...gateway, key: rename(gateway.key), vpc: renameKnown(gateway.vpc, rename) })),
    securityGroups: graph.securityGroups.map((group) => renameGroup(group, rename)),
  };
}

function renameFunction(fn: LambdaFunction, rename: Rename): LambdaFunction {
  return { ...fn, key: rename(fn.key), subnets: renameList(fn.subnets, rename), securityGroups: renameList(fn.securityGroups, rename) };
}

function renameTable(table: RouteTable, rename: Rename): RouteTable {
  return { ...table, key: rename(table.key), vpc: renameKnown(table.vpc, rename) };
}

function renameRoute(route: Route, rename: Rename): Route {
  const target = isKnown(route.target) && route.target.gateway ? { ...route.target, gateway: rename(route.target.gateway) } : route.target;
  return { ...route, key: rename(route.key), table: rename(route.table), target };
}

function renameGroup(group: SecurityGroup, rename: Rename): SecurityGroup {
  return { ...group, key: rename(group.key), vpc: renameKnown(group.vpc, rename), ...(group.createdForFunction ? { createdForFunction: rename(group.createdForFunction) } : {}) };
}

/** Each fix written by the builder of the template that defines the element, in its own keys. */
export class ProjectFixes implements FixBuilder {
  constructor(private readonly builders: { prefix: string; fixes: FixBuilder }[]) {}

  private owner(key: string): { local: Rename; fixes: FixBuilder; prefix: string } | undefined {
    const owner = this.builders.find((builder) => key.startsWith(builder.prefix));
    if (!owner) return undefined;
    const local = (qualified: string) => (qualified.startsWith(owner.prefix) ? qualified.slice(owner.prefix.length) : qualified);
    return { local, fixes: owner.fixes, prefix: owner.prefix };
  }

  private written(owner: { prefix: string }, edits: EditsWithCreates | undefined): EditsWithCreates | undefined {
    return edits?.creates ? { ...edits, creates: edits.creates.map((key) => owner.prefix + key) } : edits;
  }

  setFlag(fn: LambdaFunction, value: boolean): EditsWithCreates | undefined {
    const owner = this.owner(fn.key);
    return owner && this.written(owner, owner.fixes.setFlag(renameFunction(fn, owner.local), value));
  }

  removeFlag(fn: LambdaFunction): EditsWithCreates | undefined {
    const owner = this.owner(fn.key);
    return owner && this.written(owner, owner.fixes.removeFlag(renameFunction(fn, owner.local)));
  }

  retargetRouteToEigw(route: Route, vpcKey: string): EditsWithCreates | undefined {
    const owner = this.owner(route.key);
    return owner && vpcKey.startsWith(owner.prefix) ? this.written(owner, owner.fixes.retargetRouteToEigw(renameRoute(route, owner.local), owner.local(vpcKey))) : undefined;
  }

  addIpv6DefaultRoute(table: RouteTable, vpcKey: string): EditsWithCreates | undefined {
    const owner = this.owner(table.key);
    return owner && vpcKey.startsWith(owner.prefix) ? this.written(owner, owner.fixes.addIpv6DefaultRoute(renameTable(table, owner.local), owner.local(vpcKey))) : undefined;
  }

  addIpv6Egress(group: SecurityGroup, variant: Ipv6EgressVariant): EditsWithCreates | undefined {
    const owner = this.owner(group.key);
    return owner && this.written(owner, owner.fixes.addIpv6Egress(renameGroup(group, owner.local), variant));
  }

  makeDualStack(key: string): EditsWithCreates | undefined {
    const owner = this.owner(key);
    return owner && this.written(owner, owner.fixes.makeDualStack(owner.local(key)));
  }

  addVpcIpv6Block(vpcKey: string): EditsWithCreates | undefined {
    const owner = this.owner(vpcKey);
    return owner && this.written(owner, owner.fixes.addVpcIpv6Block(owner.local(vpcKey)));
  }
}
