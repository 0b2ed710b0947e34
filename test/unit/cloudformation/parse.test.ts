import * as assert from 'node:assert/strict';
import { isSuppressed } from '../../../src/core/model/suppress';
import { isCloudFormationTemplate, parseCloudFormation } from '../../../src/core/parse/cloudformation';
import { fixture, parse } from './helpers';

describe('CloudFormation parsing', () => {
  describe('files that do not parse', () => {
    it('skips a YAML file with a syntax error with the parser message and line, and builds no graph', () => {
      const parsed = parse('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n   Properties: [\n', 'broken.yaml');
      assert.equal(parsed.skipped.length, 1);
      assert.equal(parsed.skipped[0].file, 'broken.yaml');
      assert.match(parsed.skipped[0].reason, /^YAML syntax error: .+ at line 4, column \d+\. Fix it to analyse the template\.$/);
      assert.deepEqual(parsed.graph.functions, []);
    });

    it('skips a JSON file with a syntax error, naming the error and its line', () => {
      const parsed = parse('{\n  "Resources": {\n    "Fn": {"Type": "AWS::Lambda::Function",}\n  }\n}\n', 'broken.json');
      assert.deepEqual(parsed.skipped, [{ file: 'broken.json', reason: 'JSON syntax error: PropertyNameExpected at line 3, column 44. Fix it to analyse the template.' }]);
      assert.deepEqual(parsed.graph.functions, []);
    });

    it('skips a template that defines a logical id twice', () => {
      const parsed = parse('Resources:\n  A:\n    Type: AWS::EC2::VPC\n  A:\n    Type: AWS::EC2::Subnet\n', 'dup.yaml');
      assert.deepEqual(parsed.skipped, [{ file: 'dup.yaml', reason: 'Resources defines A twice (again at line 4); CloudFormation rejects the template: rename or remove one.' }]);
    });

    it('skips a document whose top level is not a map', () => {
      assert.deepEqual(parse('- a\n- b\n', 'list.yaml').skipped, [{ file: 'list.yaml', reason: 'Not a CloudFormation template: the top level is not a map.' }]);
    });

    it('analyses every template of a unit, each one’s keys qualified by its file', () => {
      const vpc = 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n';
      const parsed = parseCloudFormation([
        { path: 'a.yaml', text: vpc },
        { path: 'b.yaml', text: vpc },
      ]);
      assert.deepEqual(parsed.skipped, []);
      assert.deepEqual(parsed.graph.vpcs.map((v) => [v.key, v.name, v.loc?.file]), [['a.Vpc', 'Vpc', 'a.yaml'], ['b.Vpc', 'Vpc', 'b.yaml']]);
    });
  });

  describe('isCloudFormationTemplate', () => {
    it('recognises templates by AWSTemplateFormatVersion or by typed Resources, in YAML and JSON', () => {
      assert.equal(isCloudFormationTemplate(fixture('nat-only.yaml'), 'nat-only.yaml'), true);
      assert.equal(isCloudFormationTemplate(fixture('nat-route.json'), 'nat-route.json'), true);
      assert.equal(isCloudFormationTemplate('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: !GetAtt R.Arn\n', 'template.yml'), true);
    });

    it('rejects Kubernetes manifests, package.json and maps of untyped Resources', () => {
      assert.equal(isCloudFormationTemplate('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n', 'pod.yaml'), false);
      assert.equal(isCloudFormationTemplate('apiVersion: v1\nkind: List\n---\napiVersion: v1\nkind: Service\n', 'multi.yaml'), false);
      assert.equal(isCloudFormationTemplate('{"name": "x", "version": "1.0.0", "scripts": {"Resources": "x"}}', 'package.json'), false);
      assert.equal(isCloudFormationTemplate('Resources:\n  cpu: 2\n', 'values.yaml'), false);
      assert.equal(isCloudFormationTemplate('', 'empty.yaml'), false);
    });

    it('still recognises a broken template by its format version, so its error is reported', () => {
      assert.equal(isCloudFormationTemplate("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n", 'broken.yaml'), true);
      assert.equal(isCloudFormationTemplate('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {', 'broken.json'), true);
    });
  });

  describe('suppression comments', () => {
    const text = `# ipv6-lambda-disable IPV6S001
Resources:
  # ipv6-lambda-disable-next-line IPV6L001
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: # ipv6-lambda-disable-next-line IPV6N002
        SubnetIds: [subnet-1]   # trailing comment
`;
    const suppressions = parse(text, 'fn.yaml').suppressions.get('fn.yaml');

    it('reads whole-file and next-line directives from YAML comments with their lines', () => {
      assert.equal(isSuppressed('IPV6S001', 40, suppressions), true);
      assert.equal(isSuppressed('IPV6L001', 3, suppressions), true);
      assert.equal(isSuppressed('IPV6L001', 4, suppressions), false);
      assert.equal(isSuppressed('IPV6N002', 7, suppressions), true);
    });

    it('gives a JSON template no comment suppressions', () => {
      const parsed = parse(fixture('nat-route.json'), 'nat-route.json');
      assert.deepEqual(parsed.suppressions.get('nat-route.json'), { wholeFile: new Set(), nextLine: new Map() });
    });
  });
});
