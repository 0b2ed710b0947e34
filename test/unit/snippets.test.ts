import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../src/core/analysis/analyze';
import type { SourceFormat } from '../../src/core/model/source';
import { parseUnit } from '../../src/core/parse';
import { cloudFormationTemplateAround, expand, indent, readSnippets } from '../support/snippets';

const hosts: Record<string, { format: SourceFormat; path: string; wrap: (code: string) => string }> = {
  'cloudformation.json': {
    format: 'cloudformation',
    path: 'template.yaml',
    wrap: cloudFormationTemplateAround,
  },
  'terraform.json': { format: 'terraform', path: 'main.tf', wrap: (code) => code },
  'cdk-typescript.json': {
    format: 'cdk-typescript',
    path: 'stack.ts',
    wrap: (code) =>
      `import { Stack } from 'aws-cdk-lib';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\n\nexport class AppStack extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n${indent(code, '    ')}  }\n}\n`,
  },
  'cdk-python.json': {
    format: 'cdk-python',
    path: 'stack.py',
    wrap: (code) =>
      `from aws_cdk import Stack, aws_ec2 as ec2, aws_lambda as _lambda\n\n\nclass AppStack(Stack):\n    def __init__(self, scope, construct_id):\n        super().__init__(scope, construct_id)\n${indent(code, '        ')}`,
  },
};

describe('snippets', () => {
  for (const [file, host] of Object.entries(hosts)) {
    const snippets = readSnippets(file);
    const dualStack = Object.values(snippets).find((snippet) => snippet.prefix === 'ipv6-lambda-dual-stack');

    it(`${file}: the dual-stack snippet expands to a function with IPv6 on that analyses clean`, async () => {
      assert.ok(dualStack, 'an ipv6-lambda-dual-stack snippet');
      const text = host.wrap(expand(dualStack.body));
      const parsed = await parseUnit({ format: host.format, files: [{ path: host.path, text }] });
      assert.deepEqual(parsed.skipped, []);
      assert.equal(parsed.graph.functions.length, 1);
      assert.equal(parsed.graph.functions[0].ipv6Flag, true);
      assert.equal(parsed.graph.functions[0].hasVpcConfig, true);
      assert.deepEqual(analyzeParsed(parsed), []);
    });
  }
});
