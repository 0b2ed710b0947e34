import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analyze';
import type { SourceFile } from '../../../src/core/model/source';
import { parseCloudFormation } from '../../../src/core/parse/cloudformation';
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
    const byParameter = api(fixture('import-export/api.yaml').replace('!ImportValue network-PrivateSubnetId', '!ImportValue !Sub "${NetworkStack}-PrivateSubnetId"'));
    assert.deepEqual(summary([byParameter, network()]), []);
    assert.deepEqual(summary([api()]), []);
  });

  it('keeps the logical ids of a template analysed alone', () => {
    assert.deepEqual(parseCloudFormation([network()]).graph.subnets.map((subnet) => subnet.key), ['PrivateSubnet']);
  });
});
