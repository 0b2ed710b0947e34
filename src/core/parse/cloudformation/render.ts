/** Writes new template values in the file's own syntax: block or flow YAML, or JSON. */
import { parse as parseYaml } from 'yaml';

/** A value a fix adds. Intrinsics are written in short form in YAML and long form in JSON. */
export type NewValue =
  | string
  | number
  | boolean
  | { ref: string }
  | { getAtt: [string, string] }
  | { fn: 'Select' | 'Cidr'; args: NewValue[] }
  | { map: [string, NewValue][] }
  | NewValue[];

export interface Style {
  syntax: 'yaml' | 'json';
  eol: string;
  /** One level of indentation, e.g. two or four spaces. */
  unit: string;
  quote: 'single' | 'double';
}

function isMapValue(value: NewValue): value is { map: [string, NewValue][] } {
  return typeof value === 'object' && !Array.isArray(value) && 'map' in value;
}

function yamlString(text: string, style: Style): string {
  let plain = false;
  try {
    // `AWS::EC2::Route` may stay plain; `::/0` (a leading colon) and `443` (a number) may not.
    plain = /^[A-Za-z0-9_][A-Za-z0-9_./:-]*$/.test(text) && !text.endsWith(':') && parseYaml(text) === text;
  } catch {
    plain = false;
  }
  if (plain) return text;
  return style.quote === 'single' ? `'${text.replace(/'/g, "''")}'` : JSON.stringify(text);
}

/** A YAML value on one line (flow style). */
export function yamlInline(value: NewValue, style: Style): string {
  if (typeof value === 'string') return yamlString(value, style);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => yamlInline(item, style)).join(', ')}]`;
  if ('ref' in value) return `!Ref ${value.ref}`;
  if ('getAtt' in value) return `!GetAtt ${value.getAtt.join('.')}`;
  if ('fn' in value) return `!${value.fn} [${value.args.map((item) => yamlInline(item, style)).join(', ')}]`;
  return `{${value.map.map(([key, item]) => `${key}: ${yamlInline(item, style)}`).join(', ')}}`;
}

/** `key: value` in block YAML; nested maps go on the following lines, one unit deeper than `indent`. */
export function yamlBlockPair(key: string, value: NewValue, indent: string, style: Style): string {
  if (!isMapValue(value)) return `${key}: ${yamlInline(value, style)}`;
  const inner = indent + style.unit;
  return `${key}:${value.map.map(([childKey, child]) => `${style.eol}${inner}${yamlBlockPair(childKey, child, inner, style)}`).join('')}`;
}

/** The entries of a map written as block YAML whose first line is already placed at `indent`. */
export function yamlBlockEntries(value: { map: [string, NewValue][] }, indent: string, style: Style): string {
  return value.map.map(([key, item]) => yamlBlockPair(key, item, indent, style)).join(`${style.eol}${indent}`);
}

/** A JSON value; maps that are not intrinsics span lines, indented from `indent`. */
export function jsonValue(value: NewValue, indent: string, style: Style, multiline = true): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => jsonValue(item, indent, style, false)).join(', ')}]`;
  if ('ref' in value) return `{"Ref": ${JSON.stringify(value.ref)}}`;
  if ('getAtt' in value) return `{"Fn::GetAtt": ${JSON.stringify(value.getAtt).replace(',', ', ')}}`;
  if ('fn' in value) return `{"Fn::${value.fn}": [${value.args.map((item) => jsonValue(item, indent, style, false)).join(', ')}]}`;
  if (!multiline) return `{${value.map.map(([key, item]) => `${JSON.stringify(key)}: ${jsonValue(item, indent, style, false)}`).join(', ')}}`;
  const inner = indent + style.unit;
  const entries = value.map.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${jsonValue(item, inner, style)}`);
  return `{${style.eol}${entries.join(`,${style.eol}`)}${style.eol}${indent}}`;
}
