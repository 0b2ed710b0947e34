// Snippets as a user gets them, shared by the snippet tests and the cfn-lint check of their output.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Snippet {
  prefix: string;
  body: string[];
}

/** The snippets of one file under snippets/, by name. */
export function readSnippets(file: string): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../snippets', file), 'utf8')) as Record<string, Snippet>;
}

/** What a user gets after pressing Tab through the placeholders: every default taken (a choice's first option unless `choice` names another). */
export function expand(body: string[], choice = 0): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^|]*)\|\}/g, (_whole, options: string) => options.split(',')[choice] ?? options.split(',')[0])
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}

/** A CloudFormation template whose Resources are the snippet's expansion, as when it is typed under `Resources:`. */
export function cloudFormationTemplateAround(resources: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${indent(resources, '  ')}`;
}
