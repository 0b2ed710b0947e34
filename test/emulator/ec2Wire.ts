/**
 * The EC2 Query wire format, driven by the SDK's own schemas so every field a scenario holds is
 * written under the element name the real client reads, and every request parameter is read under
 * the name the real client writes (`SubnetId.1`, `Filter.1.Value.1`, `IpPermissions.1.Ipv6Ranges.1.CidrIpv6`).
 */
import * as ec2 from '@aws-sdk/client-ec2';
import { NormalizedSchema } from '@smithy/core/schema';

type OperationSchema = readonly [number, string, string, number, () => unknown, () => unknown];

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The SDK schema of an EC2 operation (`DescribeSubnets$`), or undefined for an action the SDK does not know. */
function operationSchema(action: string): OperationSchema | undefined {
  const schema = (ec2 as unknown as Record<string, unknown>)[`${action}$`];
  return Array.isArray(schema) && schema[0] === 9 ? (schema as unknown as OperationSchema) : undefined;
}

interface ParamTree {
  [segment: string]: ParamTree | string;
}

function paramTree(params: URLSearchParams): ParamTree {
  const root: ParamTree = {};
  for (const [key, value] of params) {
    const segments = key.split('.');
    let node = root;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        node[segment] = value;
      } else {
        const next = node[segment];
        node = typeof next === 'object' ? next : (node[segment] = {});
      }
    });
  }
  return root;
}

function readShape(ns: NormalizedSchema, node: ParamTree | string | undefined): unknown {
  if (node === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (typeof node !== 'object') return undefined;
    const out: Record<string, unknown> = {};
    for (const [memberName, member] of ns.structIterator()) {
      const traits = member.getMergedTraits();
      const name = (traits.ec2QueryName as string | undefined) ?? capitalise((traits.xmlName as string | undefined) ?? memberName);
      const value = readShape(member, node[name]);
      if (value !== undefined) out[memberName] = value;
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (typeof node !== 'object') return undefined;
    const item = ns.getValueSchema();
    return Object.keys(node)
      .filter((index) => /^\d+$/.test(index))
      .sort((a, b) => Number(a) - Number(b))
      .map((index) => readShape(item, node[index]));
  }
  if (typeof node !== 'string') return undefined;
  if (ns.isBooleanSchema()) return node === 'true';
  if (ns.isNumericSchema()) return Number(node);
  return node;
}

function capitalise(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

/** Reads a form body as the SDK input object of `action`; undefined when the SDK has no such action. */
export function readEc2Input(action: string, params: URLSearchParams): Record<string, unknown> | undefined {
  const operation = operationSchema(action);
  if (!operation) return undefined;
  return (readShape(NormalizedSchema.of(operation[4]() as never), paramTree(params)) as Record<string, unknown>) ?? {};
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function writeShape(ns: NormalizedSchema, value: unknown): string {
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    const tag = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
    return (value as unknown[]).map((v) => `<${tag}>${writeShape(item, v)}</${tag}>`).join('');
  }
  if (ns.isStructSchema()) {
    const record = value as Record<string, unknown>;
    let out = '';
    for (const [memberName, member] of ns.structIterator()) {
      const memberValue = record[memberName];
      if (memberValue === undefined || memberValue === null) continue;
      const tag = (member.getMemberTraits().xmlName as string | undefined) ?? memberName;
      out += `<${tag}>${writeShape(member, memberValue)}</${tag}>`;
    }
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

/** The XML reply of `action` for an SDK output object. */
export function writeEc2Output(action: string, output: Record<string, unknown>, requestId: string): string {
  const operation = operationSchema(action);
  if (!operation) throw new Error(`no SDK schema for EC2 action ${action}`);
  const body = writeShape(NormalizedSchema.of(operation[5]() as never), output);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}"><requestId>${requestId}</requestId>${body}</${action}Response>`;
}

export function writeEc2Error(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

export { escapeXml };
