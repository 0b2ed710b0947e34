import * as assert from 'node:assert/strict';
import { analyzeGraph, analyzeParsed } from '../../../src/core/analysis/analyze';
import type { ResourceGraph } from '../../../src/core/model/graph';
import { suppressionsFromComments } from '../../../src/core/model/suppress';
import { catalogue } from '../../../src/core/rules';
import { at, dualStackNetwork, fn, group, ipv4Egress, parsedUnit, recordingFixes } from './graphs';

/** L001 on Fn1 (line 21), S001 on Fn2 (line 31) and N002 on the table (line 7). */
function threeProblems(): ResourceGraph {
  const graph = dualStackNetwork();
  graph.routes.splice(1, 1);
  graph.securityGroups = [group('Sg', [ipv4Egress])];
  graph.functions.push(
    fn('Fn2', { ipv6Flag: true, vpcConfigLoc: at(30), securityGroupsLoc: at(31) }),
    fn('Fn1', { vpcConfigLoc: at(21), securityGroupsLoc: at(22) }),
  );
  return graph;
}

function summary(findings: { rule: string; severity: string; loc?: { range: { start: { line: number } } } }[]): string[] {
  return findings.map((f) => `${f.loc?.range.start.line}:${f.rule}:${f.severity}`);
}

describe('analysis', () => {
  it('orders findings by file, line, character and rule', () => {
    assert.deepEqual(summary(analyzeParsed(parsedUnit(threeProblems()))), ['7:IPV6N002:warning', '21:IPV6L001:warning', '31:IPV6S001:warning']);
  });

  it('drops a finding whose line follows a disable-next-line comment naming its rule', () => {
    const parsed = parsedUnit(threeProblems());
    parsed.suppressions.set('template.yaml', suppressionsFromComments([{ text: '# ipv6-lambda-disable-next-line IPV6L001', line: 20 }]));
    assert.deepEqual(summary(analyzeParsed(parsed)), ['7:IPV6N002:warning', '31:IPV6S001:warning']);
  });

  it('keeps findings of other rules and other files despite a comment', () => {
    const parsed = parsedUnit(threeProblems());
    parsed.suppressions.set('template.yaml', suppressionsFromComments([{ text: '# ipv6-lambda-disable-next-line IPV6S001', line: 20 }]));
    parsed.suppressions.set('other.yaml', suppressionsFromComments([{ text: '# ipv6-lambda-disable IPV6L001', line: 0 }]));
    assert.equal(analyzeParsed(parsed).length, 3);
  });

  it('drops a rule for the whole file', () => {
    const parsed = parsedUnit(threeProblems());
    parsed.suppressions.set('template.yaml', suppressionsFromComments([{ text: '// ipv6-lambda-disable IPV6N002', line: 50 }]));
    assert.deepEqual(summary(analyzeParsed(parsed)), ['21:IPV6L001:warning', '31:IPV6S001:warning']);
  });

  it("honours an element's ignore list (CloudFormation Metadata) on functions, route tables and routes", () => {
    const graph = threeProblems();
    graph.functions[1].ignore = ['IPV6L001'];
    graph.routeTables[0].ignore = ['IPV6N002'];
    assert.deepEqual(summary(analyzeParsed(parsedUnit(graph))), ['31:IPV6S001:warning']);
    const routes = dualStackNetwork();
    routes.routes[1] = { ...routes.routes[1], target: { kind: 'nat' }, ignore: ['IPV6N001'] };
    assert.deepEqual(analyzeParsed(parsedUnit(routes)), []);
  });

  it('changes severities and turns rules off', () => {
    const findings = analyzeParsed(parsedUnit(threeProblems()), { severities: { IPV6L001: 'error', IPV6N002: 'off', IPV6S001: 'info' } });
    assert.deepEqual(summary(findings), ['21:IPV6L001:error', '31:IPV6S001:info']);
  });

  it('runs only the selected rules and skips the ignored ones', () => {
    assert.deepEqual(summary(analyzeParsed(parsedUnit(threeProblems()), { only: ['IPV6S001', 'IPV6L001'], ignore: ['IPV6S001'] })), ['21:IPV6L001:warning']);
  });

  it('writes fixes only when they are read, once per finding', () => {
    const fixes = recordingFixes();
    let calls = 0;
    const counting = { ...fixes, setFlag: (...args: Parameters<typeof fixes.setFlag>) => (calls++, fixes.setFlag(...args)) };
    const [finding] = analyzeParsed(parsedUnit(threeProblems(), counting), { only: ['IPV6L001'], severities: { IPV6L001: 'error' } });
    assert.equal(calls, 0);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes, finding.fixes);
    assert.equal(calls, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(finding)).fixes[0].title, 'Set Ipv6AllowedForDualStack to true on Fn1');
  });

  it('analyses a live graph without locations or fixes', () => {
    const graph = threeProblems();
    for (const f of graph.functions) {
      delete f.vpcConfigLoc;
      delete f.securityGroupsLoc;
    }
    const findings = analyzeGraph(graph, { ignore: ['IPV6N002'] });
    assert.deepEqual(findings.map((f) => `${f.rule}:${f.subject}`), ['IPV6L001:Fn1', 'IPV6S001:Fn2']);
    assert.ok(findings.every((f) => f.fixes.length === 0));
  });
});

describe('rule catalogue', () => {
  it('lists the rules with their default severities and documentation links', () => {
    assert.deepEqual(
      catalogue.map((entry) => `${entry.id}:${entry.defaultSeverity}`),
      ['IPV6L001:warning', 'IPV6L002:error', 'IPV6L003:error', 'IPV6L004:error', 'IPV6N001:error', 'IPV6N002:warning', 'IPV6N003:warning', 'IPV6S001:warning', 'IPV6N004:warning', 'IPV6M001:info'],
    );
    assert.equal(catalogue[0].docsUrl, 'https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6L001.md');
    assert.ok(catalogue.every((entry) => entry.title.length > 0 && !entry.description.includes('\n')));
  });
});
