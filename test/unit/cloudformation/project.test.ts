import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { SourceFile } from '../../../src/core/model/source';
import { linkedTemplateGroups, parseCloudFormation } from '../../../src/core/parse/cloudformation';
import { applyEdits, fixture, span } from './helpers';

const network = (): SourceFile => ({ path: 'network.yaml', text: fixture('import-export/network.yaml') });
const api = (text = fixture('import-export/api.yaml')): SourceFile => ({ path: 'api.yaml', text });

function summary(files: SourceFile[]): string[] {
  return analyzeParsed(parseCloudFormation(files)).map((f) => `${f.rule} ${f.loc?.file} ${span(f.loc?.range)} ${f.subject}`);
}

describe('CloudFormation templates of a folder', () => {
  it('resolves Fn::ImportValue of a literal export name to the exporting template’s resource', () => {
    const parsed = parseCloudFormation([api(), network()]);
    const fn = parsed.graph.functions[0];
    assert.deepEqual([fn.key, fn.subnets, fn.securityGroups], ['api.Api', ['network.PrivateSubnet'], ['network.LambdaSecurityGroup']]);
    assert.deepEqual(summary([api(), network()]), ['IPV6L001 api.yaml 11:6-11:15 api.Api']);
  });

  it('writes the fix in the importing template', () => {
    const [finding] = analyzeParsed(parseCloudFormation([api(), network()]));
    const preferred = finding.fixes.find((fix) => fix.preferred)!;
    assert.deepEqual(new Set(preferred.edits.map((edit) => edit.file)), new Set(['api.yaml']));
    const fixed = applyEdits(api().text, preferred.edits);
    assert.equal(fixed, `${api().text}        Ipv6AllowedForDualStack: true\n`);
    assert.deepEqual(summary([api(fixed), network()]), ['IPV6S001 api.yaml 14:8-14:24 api.Api']);
  });

  it('offers the IPv6 egress fix in the exporting template', () => {
    const fixedApi = api(fixture('import-export/api.yaml').replace('      VpcConfig:\n', '      VpcConfig:\n        Ipv6AllowedForDualStack: true\n'));
    const [finding] = analyzeParsed(parseCloudFormation([fixedApi, network()]));
    assert.equal(finding.rule, 'IPV6S001');
    assert.deepEqual(new Set(finding.fixes.flatMap((fix) => fix.edits.map((edit) => edit.file))), new Set(['network.yaml']));
  });

  it('keeps an import unknown when its name depends on a parameter or nothing exports it', () => {
    // The long form: YAML allows one tag per node, so `!ImportValue !Sub` does not parse (nor does CloudFormation take it).
    const byParameter = api(fixture('import-export/api.yaml').replace('!ImportValue network-PrivateSubnetId', 'Fn::ImportValue: !Sub "${NetworkStack}-PrivateSubnetId"'));
    assert.deepEqual(parseCloudFormation([byParameter, network()]).skipped, []);
    assert.deepEqual(summary([byParameter, network()]), []);
    assert.deepEqual(summary([api()]), []);
  });

  describe('names built with Fn::Sub', () => {
    const withParameter = (parameter: string) =>
      api(
        fixture('import-export/api.yaml')
          .replace('Resources:\n', `${parameter}Resources:\n`)
          .replace('!ImportValue network-PrivateSubnetId', "Fn::ImportValue: !Sub '${NetworkStackName}-PrivateSubnetId'"),
      );

    it('resolves an import whose name reads a parameter with a literal default', () => {
      assert.deepEqual(summary([withParameter('Parameters:\n  NetworkStackName:\n    Type: String\n    Default: network\n'), network()]), ['IPV6L001 api.yaml 15:6-15:15 api.Api']);
    });

    it('resolves a Sub’s own variable map', () => {
      const mapped = api(fixture('import-export/api.yaml').replace('!ImportValue network-PrivateSubnetId', "Fn::ImportValue: !Sub ['${Stack}-PrivateSubnetId', {Stack: network}]"));
      assert.deepEqual(summary([mapped, network()]), ['IPV6L001 api.yaml 11:6-11:15 api.Api']);
    });

    it('keeps the import unknown when the default names another stack, there is no default, or the name reads the region', () => {
      assert.deepEqual(summary([withParameter('Parameters:\n  NetworkStackName:\n    Type: String\n    Default: staging\n'), network()]), []);
      assert.deepEqual(summary([withParameter('Parameters:\n  NetworkStackName:\n    Type: String\n'), network()]), []);
      const byRegion = api(fixture('import-export/api.yaml').replace('!ImportValue network-PrivateSubnetId', "Fn::ImportValue: !Sub 'network-${AWS::Region}-PrivateSubnetId'"));
      assert.deepEqual(summary([byRegion, network()]), []);
    });

    it('leaves an export named by ${AWS::StackName} unknown outside a cloud assembly, where no file names the stack', () => {
      const byStackName: SourceFile = { path: 'network.yaml', text: fixture('import-export/network.yaml').replace('Name: network-PrivateSubnetId', "Name: !Sub '${AWS::StackName}-PrivateSubnetId'") };
      assert.deepEqual(summary([api(), byStackName]), []);
      assert.deepEqual(linkedTemplateGroups([api(), byStackName]).length, 1);
    });
  });

  it('keeps the logical ids of a template analysed alone', () => {
    assert.deepEqual(parseCloudFormation([network()]).graph.subnets.map((subnet) => subnet.key), ['PrivateSubnet']);
  });

  describe('nested stacks', () => {
    const parent = (text = fixture('nested/parent.yaml')): SourceFile => ({ path: 'nested/parent.yaml', text });
    const nestedApi = (): SourceFile => ({ path: 'nested/api.yaml', text: fixture('nested/api.yaml') });
    const nestedNetwork = (): SourceFile => ({ path: 'import-export/network.yaml', text: fixture('import-export/network.yaml') });

    it('gives a nested template’s parameters what its stack passes, through the other nested stack’s outputs', () => {
      const parsed = parseCloudFormation([parent(), nestedApi(), nestedNetwork()]);
      const fn = parsed.graph.functions[0];
      assert.deepEqual([fn.key, fn.subnets, fn.securityGroups], ['api.Api', ['network.PrivateSubnet'], ['network.LambdaSecurityGroup']]);
      assert.deepEqual(
        analyzeParsed(parsed).map((f) => `${f.rule} ${f.loc?.file} ${span(f.loc?.range)}`),
        ['IPV6L001 nested/api.yaml 16:6-16:15'],
      );
    });

    it('groups a template with the templates it nests, and an unrelated one alone', () => {
      const unrelated: SourceFile = { path: 'nested/other.yaml', text: fixture('nat-only.yaml') };
      assert.deepEqual(
        linkedTemplateGroups([parent(), unrelated, nestedApi(), nestedNetwork()]).map((group) => group.map((file) => file.path)),
        [['nested/parent.yaml', 'nested/api.yaml', 'import-export/network.yaml'], ['nested/other.yaml']],
      );
    });

    it('follows a SAM application with a local Location the same way', () => {
      const sam = parent(fixture('nested/parent.yaml').replace(/AWS::CloudFormation::Stack\n {4}Properties:\n {6}TemplateURL:/g, 'AWS::Serverless::Application\n    Properties:\n      Location:'));
      assert.equal((sam.text.match(/Location:/g) ?? []).length, 2);
      assert.deepEqual(
        analyzeParsed(parseCloudFormation([sam, nestedApi(), nestedNetwork()])).map((f) => `${f.rule} ${f.loc?.file}`),
        ['IPV6L001 nested/api.yaml'],
      );
    });

    it('keeps the parameters unknown when the stack does not pass them or the template is not local', () => {
      const withoutParameters = parent(fixture('nested/parent.yaml').split('      Parameters:')[0]);
      assert.deepEqual(analyzeParsed(parseCloudFormation([withoutParameters, nestedApi(), nestedNetwork()])), []);
      const uploaded = parent(fixture('nested/parent.yaml').replace('./api.yaml', 'https://s3.amazonaws.com/bucket/api.yaml'));
      assert.deepEqual(analyzeParsed(parseCloudFormation([uploaded, nestedApi(), nestedNetwork()])), []);
    });

    it('leaves a template nested by two stacks unknown, as they may pass different values', () => {
      const twice = parent(`${fixture('nested/parent.yaml')}  SecondApiStack:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./api.yaml\n`);
      assert.deepEqual(analyzeParsed(parseCloudFormation([twice, nestedApi(), nestedNetwork()])), []);
    });
  });
});
