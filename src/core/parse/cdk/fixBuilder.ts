import type { TextEdit } from '../../model/findings';
import type { EditsWithCreates, FixBuilder } from '../../model/fixes';
import type { Construct, FileSymbols } from './constructs';
import { lookupProp } from './constructs';
import { TextIndex, insertItems, removeItem } from './listEdits';
import type { Flavor } from './syntax';

interface PropChange {
  name: string;
  valueText: string;
}

/** Writes fixes into one CDK file; the same logic serves TypeScript and Python through a Flavor. */
export class CdkFixBuilder implements FixBuilder {
  private readonly index: TextIndex;
  /** Constructs by kind and key, built on the first fix: a fix per finding must not search them all. */
  private constructsByKey?: Map<string, Construct>;

  constructor(
    private readonly file: string,
    text: string,
    private readonly symbols: FileSymbols,
    private readonly flavor: Flavor,
  ) {
    this.index = new TextIndex(text);
  }

  setFlag(fn: { key: string }, value: boolean): EditsWithCreates | undefined {
    const construct = this.construct(fn.key, 'function');
    if (!construct) return undefined;
    const changes: PropChange[] = [{ name: 'ipv6AllowedForDualStack', valueText: this.flavor.bool(value) }];
    // CDK's own group allows no IPv6 egress unless told to; CDK rejects this prop beside your own groups.
    const props = construct.call.props;
    if (value && lookupProp(props, 'securityGroups').kind === 'absent' && lookupProp(props, 'vpc').kind === 'present') {
      changes.push({ name: 'allowAllIpv6Outbound', valueText: this.flavor.bool(true) });
    }
    return this.setProps(construct, changes, ['vpc']);
  }

  removeFlag(fn: { key: string }): EditsWithCreates | undefined {
    const construct = this.construct(fn.key, 'function');
    const props = construct?.call.props;
    const flag = props ? lookupProp(props, 'ipv6AllowedForDualStack') : undefined;
    if (props?.kind !== 'list' || flag?.kind !== 'present') return undefined;
    return { edits: [removeItem(this.file, this.index, props.props.list, flag.prop.index)] };
  }

  retargetRouteToEigw(): undefined {
    // CDK writes the routes of a dual-stack VPC itself.
    return undefined;
  }

  addIpv6DefaultRoute(): undefined {
    return undefined;
  }

  addIpv6Egress(group: { key: string; createdForFunction?: string }, variant: 'mirror' | 'https'): EditsWithCreates | undefined {
    if (group.createdForFunction !== undefined) {
      // allowAllIpv6Outbound is CDK's only switch for the group it creates: it cannot say "443 only".
      const fn = variant === 'mirror' ? this.construct(group.createdForFunction, 'function') : undefined;
      return fn ? this.setProps(fn, [{ name: 'allowAllIpv6Outbound', valueText: this.flavor.bool(true) }], ['vpc']) : undefined;
    }
    const construct = this.construct(group.key, 'securityGroup');
    if (!construct) return undefined;
    if (variant === 'mirror') {
      return this.setProps(construct, [{ name: 'allowAllIpv6Outbound', valueText: this.flavor.bool(true) }], ['allowAllOutbound', 'vpc']);
    }
    const definition = construct.definition;
    const peer = this.ec2Member('Peer');
    const port = this.ec2Member('Port');
    if (!definition || !peer || !port) return undefined;
    const { name } = this.flavor;
    const call = `${definition.targetText}.${name('addEgressRule')}(${peer}.${name('anyIpv6')}(), ${port}.tcp(443))`;
    const site = definition.statement;
    const end = site.range.end;
    return { edits: [{ file: this.file, range: { start: end, end }, newText: `${this.index.eol}${site.indent}${this.flavor.statement(call, site)}` }] };
  }

  makeDualStack(key: string): EditsWithCreates | undefined {
    const construct = this.construct(key, 'vpc');
    const ipProtocol = this.ec2Member('IpProtocol');
    if (!construct || !ipProtocol) return undefined;
    return this.setProps(construct, [{ name: 'ipProtocol', valueText: `${ipProtocol}.DUAL_STACK` }], []);
  }

  /** CDK's dual-stack VPC has the IPv6 block, the subnets' /64s, the EIGW and the ::/0 routes in one prop. */
  addVpcIpv6Block(vpcKey: string): EditsWithCreates | undefined {
    return this.makeDualStack(vpcKey);
  }

  private construct(key: string, kind: Construct['kind']): Construct | undefined {
    if (!this.constructsByKey) {
      this.constructsByKey = new Map();
      for (const construct of this.symbols.constructs) {
        const id = `${construct.kind}\u0000${construct.key}`;
        // The first one wins, as a search in file order would find it.
        if (!this.constructsByKey.has(id)) this.constructsByKey.set(id, construct);
      }
    }
    return this.constructsByKey.get(`${kind}\u0000${key}`);
  }

  /** How this file names an aws-cdk-lib/aws-ec2 export: `ec2.Peer`, `Peer`, `cdk.aws_ec2.Peer`. */
  private ec2Member(exportName: string): string | undefined {
    const { modules, names } = this.symbols.imports;
    for (const [local, symbol] of names) if (symbol === `aws_ec2.${exportName}`) return local;
    for (const [local, moduleId] of modules) if (moduleId === 'aws_ec2') return `${local}.${exportName}`;
    for (const [local, moduleId] of modules) if (moduleId === '') return `${local}.aws_ec2.${exportName}`;
    return undefined;
  }

  /** Sets props: replaces values that are written, inserts the others after the first anchor prop present. */
  private setProps(construct: Construct, changes: PropChange[], anchors: string[]): EditsWithCreates | undefined {
    const site = construct.call.props;
    if (site.kind === 'opaque') return undefined;
    const edits: TextEdit[] = [];
    const inserts: string[] = [];
    for (const change of changes) {
      const lookup = lookupProp(site, change.name);
      if (lookup.kind === 'present') {
        const value = lookup.prop.value.range;
        if (this.index.text.slice(this.index.offsetAt(value.start), this.index.offsetAt(value.end)) !== change.valueText) {
          edits.push({ file: this.file, range: value, newText: change.valueText });
        }
      } else {
        inserts.push(this.flavor.prop(this.flavor.name(change.name), change.valueText));
      }
    }
    if (inserts.length > 0) {
      if (site.kind === 'absent') {
        edits.push(...insertItems(this.file, this.index, construct.call.args, undefined, [this.flavor.newPropsArgument(inserts)]));
      } else {
        const anchor = anchors.map((name) => lookupProp(site, name)).find((lookup) => lookup.kind === 'present');
        const after = anchor?.kind === 'present' ? anchor.prop.index : undefined;
        edits.push(...insertItems(this.file, this.index, site.props.list, after, inserts));
      }
    }
    return edits.length > 0 ? { edits } : undefined;
  }
}
