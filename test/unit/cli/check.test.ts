import * as assert from 'node:assert/strict';
import { IPV6_ONLY_TEMPLATE, TEMPLATE, TERRAFORM_MAIN, TempProject } from './harness';

describe('ipv6-lambda check', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'template.yaml': TEMPLATE, 'infra/main.tf': TERRAFORM_MAIN, 'node_modules/pkg/template.yaml': TEMPLATE, 'notes.yaml': 'a: 1\n' });
  });
  afterEach(() => project.remove());

  it('prints file:line:col severity rule message with a summary and exits 1 on warnings', async () => {
    const result = await project.run(['check']);
    assert.equal(result.code, 1);
    assert.equal(
      result.out,
      [
        'infra/main.tf:16:1 warning IPV6N002 Route table aws_route_table.private sends 0.0.0.0/0 to NAT gateway aws_nat_gateway.nat but has no ::/0 route: IPv6 traffic from dual-stack subnet aws_subnet.a has no way out.',
        'template.yaml:34:3 error IPV6N001 Route V6Route (::/0 in route table Private) sends IPv6 traffic to NAT gateway Nat, which only serves NAT64 (64:ff9b::/96): use an egress-only internet gateway.',
        'template.yaml:60:7 warning IPV6L001 Function Fn is in dual-stack subnet SubnetA but Ipv6AllowedForDualStack is not set: it cannot reach IPv6 destinations.',
        'Rule pages:',
        '  IPV6L001 https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6L001.md',
        '  IPV6N001 https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6N001.md',
        '  IPV6N002 https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6N002.md',
        '3 problems (1 error, 2 warnings) in 2 files',
        '2 files in 2 units analysed, 0 skipped',
      ].join('\n'),
    );
    assert.equal(result.err, '');
  });

  it('colours severities only on a terminal', async () => {
    const plain = await project.run(['check', 'template.yaml']);
    assert.ok(!plain.out.includes('\u001b['));
    const tty = await project.run(['check', 'template.yaml'], { isTty: true });
    assert.ok(tty.out.includes('template.yaml:34:3 \u001b[31merror\u001b[0m '));
  });

  it('exits by --fail-on: never, error, warning, info', async () => {
    assert.equal((await project.run(['check', '--fail-on', 'never'])).code, 0);
    assert.equal((await project.run(['check', '--fail-on', 'error', 'infra'])).code, 0);
    assert.equal((await project.run(['check', '--fail-on', 'error', 'template.yaml'])).code, 1);
    assert.equal((await project.run(['check', '--fail-on', 'info', 'infra'])).code, 1);
  });

  it('selects rules with --rule and --ignore-rule, repeatable and comma-separated', async () => {
    const only = await project.run(['check', '--rule', 'IPV6L001,ipv6n002', '--rule', 'IPV6S001']);
    // After the findings: a rule page per rule, the summary and what was analysed.
    assert.deepEqual(only.out.split('\n').slice(0, -5).map((line) => line.split(' ')[2]), ['IPV6N002', 'IPV6L001']);
    const ignored = await project.run(['check', '--ignore-rule', 'IPV6N001', '--ignore-rule', 'IPV6N002']);
    assert.equal(ignored.out.split('\n').length, 5);
    assert.match(ignored.out, /IPV6L001/);
  });

  it('says when there is nothing to report', async () => {
    const result = await project.run(['check', 'notes.yaml', '--ignore-rule', 'IPV6L001']);
    assert.equal(result.code, 0);
    assert.equal(result.out, 'No problems found.\n0 files in 0 units analysed, 1 skipped');
    assert.equal(result.err, 'notes.yaml: skipped: not a CloudFormation/SAM template, Terraform file or CDK source file');
  });

  it('writes the JSON report with 0-based ranges, related locations and fixes', async () => {
    const result = await project.run(['check', '--format', 'json', 'template.yaml']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.out);
    assert.equal(report.version, 1);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(
      report.findings.map((f: { rule: string }) => f.rule),
      ['IPV6N001', 'IPV6L001'],
    );
    const [n001, l001] = report.findings;
    assert.deepEqual(Object.keys(n001), ['rule', 'severity', 'message', 'file', 'range', 'related', 'fixes']);
    assert.equal(n001.file, 'template.yaml');
    assert.deepEqual(n001.range, { start: { line: 33, character: 2 }, end: { line: 33, character: 9 } });
    assert.deepEqual(n001.related, [{ file: 'template.yaml', range: { start: { line: 18, character: 2 }, end: { line: 18, character: 5 } }, message: 'The NAT gateway' }]);
    assert.equal(l001.fixes.length, 1);
    assert.deepEqual(Object.keys(l001.fixes[0]), ['title', 'preferred', 'edits']);
    assert.equal(l001.fixes[0].preferred, true);
    assert.deepEqual(Object.keys(l001.fixes[0].edits[0]), ['file', 'range', 'newText']);
    assert.match(l001.fixes[0].edits[0].newText, /Ipv6AllowedForDualStack: true/);
    assert.deepEqual(report.analysed, [{ unit: 'template.yaml', format: 'cloudformation', files: ['template.yaml'] }]);
  });

  it('lists in the JSON report every unit analysed with its files, a Terraform unit by its folder', async () => {
    const report = JSON.parse((await project.run(['check', '--format', 'json'])).out);
    assert.deepEqual(report.analysed, [
      { unit: 'infra', format: 'terraform', files: ['infra/main.tf'] },
      { unit: 'template.yaml', format: 'cloudformation', files: ['template.yaml'] },
    ]);
  });

  it('counts a skipped file apart from the analysed ones', async () => {
    project.write('broken.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n");
    const result = await project.run(['check', '--fail-on', 'never']);
    assert.match(result.out, /\n2 files in 2 units analysed, 1 skipped$/);
    assert.match(result.err, /^broken\.yaml: skipped: YAML syntax error: .+ at line 3, column 1\. Fix it to analyse the template\.$/);
  });

  it('lists with --verbose the files of the walk it did not analyse, and why', async () => {
    const result = await project.run(['check', '--verbose', '--fail-on', 'never']);
    assert.equal(
      result.err,
      [
        'node_modules: not analysed: a folder of generated or vendored files; not walked',
        'notes.yaml: not analysed: not a CloudFormation/SAM template: no AWSTemplateFormatVersion, AWS transform or Resources of typed resources',
      ].join('\n'),
    );
    assert.equal((await project.run(['check', '--fail-on', 'never'])).err, '', 'quiet without --verbose');
  });

  it('writes SARIF 2.1.0 with one rule per catalogue entry and 1-based regions', async () => {
    const result = await project.run(['check', '--format', 'sarif', 'template.yaml']);
    const log = JSON.parse(result.out);
    assert.equal(log.version, '2.1.0');
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'ipv6-lambda');
    assert.equal(run.tool.driver.rules.length, 10);
    assert.deepEqual(run.tool.driver.rules[4], {
      id: 'IPV6N001',
      name: 'IPv6RouteToANATGateway',
      shortDescription: { text: 'IPv6 route to a NAT gateway' },
      fullDescription: { text: 'A NAT gateway carries IPv6 only for NAT64 (64:ff9b::/96); any other IPv6 destination routed to it goes nowhere.' },
      helpUri: 'https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6N001.md',
      defaultConfiguration: { level: 'error' },
    });
    const [first] = run.results;
    assert.equal(first.ruleId, 'IPV6N001');
    assert.equal(first.ruleIndex, 4);
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'template.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 34, startColumn: 3, endLine: 34, endColumn: 10 },
    });
    assert.equal(first.relatedLocations[0].physicalLocation.region.startLine, 19);
    assert.equal(run.results[1].level, 'warning');
  });

  it('exits 1 for an error-only template under the default --fail-on', async () => {
    project.write('only.yaml', IPV6_ONLY_TEMPLATE);
    const result = await project.run(['check', 'only.yaml']);
    assert.equal(result.code, 1);
    assert.match(result.out, /^only\.yaml:15:7 error IPV6L003 Function Fn is attached to IPv6-only subnet Subnet/);
  });

  it('rejects bad usage with exit code 2 and a short message', async () => {
    const badFormat = await project.run(['check', '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.equal(badFormat.err, "ipv6-lambda check: --format must be one of text, json, sarif, not 'xml'.\nRun `ipv6-lambda check --help` for its options.");
    const badRule = await project.run(['check', '--rule', 'IPV6X999']);
    assert.equal(badRule.code, 2);
    assert.match(badRule.err, /--rule: unknown rule 'IPV6X999'\. Known rules: IPV6L001, /);
    const badOption = await project.run(['check', '--colour']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.err, /Unknown option '--colour'/);
    const missing = await project.run(['check', 'nowhere']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^ipv6-lambda check: nowhere: no such file or directory/);
    assert.equal((await project.run(['check', '--fail-on', 'sometimes'])).code, 2);
  });

  it('prints its help', async () => {
    const result = await project.run(['check', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.out, /^Usage: ipv6-lambda check \[paths…\] \[options\]/);
  });
});
