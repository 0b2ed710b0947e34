import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { Finding } from '../../../src/core/model/findings';
import type { ParsedUnit } from '../../../src/core/model/source';
import { parseCdkPython } from '../../../src/core/parse/cdkPython';
import { parseCdkTypescript } from '../../../src/core/parse/cdkTypescript';
import { applyEdits, lines } from './helpers';

type Language = 'typescript' | 'python';
const fileOf: Record<Language, string> = { typescript: 'stack.ts', python: 'stack.py' };
const parserOf: Record<Language, (text: string) => Promise<ParsedUnit>> = {
  typescript: (text) => parseCdkTypescript({ path: fileOf.typescript, text }),
  python: (text) => parseCdkPython({ path: fileOf.python, text }),
};
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/cdk', name), 'utf8');

async function analyze(language: Language, text: string): Promise<Finding[]> {
  const parsed = await parserOf[language](text);
  assert.deepEqual(parsed.skipped, []);
  return analyzeParsed(parsed);
}

/** `[rule, line, start, endLine, end]` per finding. */
type Expected = [string, number, number, number, number][];
const summary = (findings: Finding[]) =>
  findings.map((f) => [f.rule, f.loc!.range.start.line, f.loc!.range.start.character, f.loc!.range.end.line, f.loc!.range.end.character]);

interface Case {
  title: string;
  sources: Record<Language, string>;
  expected: Record<Language, Expected>;
}

const tsHeader = lines("import * as ec2 from 'aws-cdk-lib/aws-ec2';", "import * as lambda from 'aws-cdk-lib/aws-lambda';");
const pyHeader = lines('from aws_cdk import aws_ec2 as ec2, aws_lambda as _lambda');

const cases: Case[] = [
  {
    title: 'IPV6L001: a function in a dual-stack VPC without the flag, reported at its vpc prop',
    sources: { typescript: fixture('dual-stack.ts'), python: fixture('dual-stack.py') },
    expected: { typescript: [['IPV6L001', 15, 6, 15, 9]], python: [['IPV6L001', 15, 12, 15, 15]] },
  },
  {
    title: 'IPV6L002 at the flag and IPV6S001 at vpc: the flag on a function in an IPv4-only VPC with the group CDK creates',
    sources: { typescript: fixture('nat-only.ts'), python: fixture('nat-only.py') },
    expected: {
      typescript: [['IPV6S001', 14, 6, 14, 9], ['IPV6L002', 15, 6, 15, 35]],
      python: [['IPV6S001', 16, 12, 16, 15], ['IPV6L002', 17, 12, 17, 44]],
    },
  },
  {
    title: 'IPV6L004: the flag on a function without vpc',
    sources: {
      typescript: tsHeader + "new lambda.Function(this, 'Fn', { handler: 'h', ipv6AllowedForDualStack: true });\n",
      python: pyHeader + '_lambda.Function(self, "Fn", handler="h", ipv6_allowed_for_dual_stack=True)\n',
    },
    expected: { typescript: [['IPV6L004', 2, 48, 2, 77]], python: [['IPV6L004', 1, 42, 1, 74]] },
  },
  {
    title: 'IPV6S001: the flag in a dual-stack VPC whose created group has no IPv6 egress',
    sources: {
      typescript: tsHeader + lines(
        "const vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
        "new lambda.Function(this, 'Fn', { vpc, ipv6AllowedForDualStack: true });",
      ),
      python: pyHeader + lines(
        'vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
        '_lambda.Function(self, "Fn", vpc=vpc, ipv6_allowed_for_dual_stack=True)',
      ),
    },
    expected: { typescript: [['IPV6S001', 3, 34, 3, 37]], python: [['IPV6S001', 2, 29, 2, 32]] },
  },
  {
    title: 'IPV6S001 at securityGroups: a security group construct with IPv4 egress only',
    sources: {
      typescript: tsHeader + lines(
        "const vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
        "const sg = new ec2.SecurityGroup(this, 'Sg', { vpc });",
        "new lambda.Function(this, 'Fn', { vpc, securityGroups: [sg], ipv6AllowedForDualStack: true });",
      ),
      python: pyHeader + lines(
        'vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
        'sg = ec2.SecurityGroup(self, "Sg", vpc=vpc)',
        '_lambda.Function(self, "Fn", vpc=vpc, security_groups=[sg], ipv6_allowed_for_dual_stack=True)',
      ),
    },
    expected: { typescript: [['IPV6S001', 4, 39, 4, 53]], python: [['IPV6S001', 3, 38, 3, 53]] },
  },
  {
    title: 'nothing for a dual-stack function with the flag and IPv6 egress',
    sources: {
      typescript: tsHeader + lines(
        "const vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
        "new lambda.Function(this, 'Fn', { vpc, ipv6AllowedForDualStack: true, allowAllIpv6Outbound: true });",
      ),
      python: pyHeader + lines(
        'vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
        '_lambda.Function(self, "Fn", vpc=vpc, ipv6_allowed_for_dual_stack=True, allow_all_ipv6_outbound=True)',
      ),
    },
    expected: { typescript: [], python: [] },
  },
  {
    title: 'IPV6M001 (info) for an IPv4-only VPC without the flag, nothing for VPCs and groups from outside the file',
    sources: {
      typescript: tsHeader + lines(
        "const vpc = new ec2.Vpc(this, 'Vpc');",
        "new lambda.Function(this, 'A', { vpc });",
        "new lambda.Function(this, 'B', { vpc: ec2.Vpc.fromLookup(this, 'L', {}) });",
        "new lambda.Function(this, 'C', { vpc: props.vpc });",
        "const dual = new ec2.Vpc(this, 'Dual', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
        "new lambda.Function(this, 'D', { vpc: dual, securityGroups: [props.sg], ipv6AllowedForDualStack: true });",
      ),
      python: pyHeader + lines(
        'vpc = ec2.Vpc(self, "Vpc")',
        '_lambda.Function(self, "A", vpc=vpc)',
        '_lambda.Function(self, "B", vpc=ec2.Vpc.from_lookup(self, "L"))',
        '_lambda.Function(self, "C", vpc=props.vpc)',
        'dual = ec2.Vpc(self, "Dual", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
        '_lambda.Function(self, "D", vpc=dual, security_groups=[props.sg], ipv6_allowed_for_dual_stack=True)',
      ),
    },
    expected: { typescript: [['IPV6M001', 3, 33, 3, 36]], python: [['IPV6M001', 2, 28, 2, 31]] },
  },
  {
    title: 'a disable-next-line comment above the vpc prop silences IPV6L001',
    sources: {
      typescript: fixture('dual-stack.ts').replace('      vpc,\n', '      // ipv6-lambda-disable-next-line IPV6L001\n      vpc,\n'),
      python: fixture('dual-stack.py').replace('            vpc=self.vpc,\n', '            # ipv6-lambda-disable-next-line IPV6L001\n            vpc=self.vpc,\n'),
    },
    expected: { typescript: [], python: [] },
  },
];

const identity = (f: Finding) => `${f.rule} ${f.subject}`;

for (const language of ['typescript', 'python'] as const) {
  describe(`CDK ${language}: rules end to end`, () => {
    for (const testCase of cases) {
      it(testCase.title, async () => {
        assert.deepEqual(summary(await analyze(language, testCase.sources[language])), testCase.expected[language]);
      });
    }

    it('offers setting the flag false and making the VPC dual-stack for IPV6L002, and removing the flag for IPV6L004', async () => {
      const l002 = (await analyze(language, fixture(language === 'typescript' ? 'nat-only.ts' : 'nat-only.py'))).find((f) => f.rule === 'IPV6L002')!;
      assert.deepEqual(l002.fixes.map((f) => [f.title, f.preferred]), [
        ['Set Ipv6AllowedForDualStack to false on Handler', false],
        ['Make VPC Vpc dual-stack', false],
      ]);
      const l004 = (await analyze(language, cases[2].sources[language]))[0];
      assert.deepEqual(l004.fixes.map((f) => [f.title, f.preferred]), [['Remove Ipv6AllowedForDualStack from Fn', true]]);
    });

    it('offers mirror (preferred) and 443-only egress for a security group construct', async () => {
      const [finding] = await analyze(language, cases[4].sources[language]);
      assert.deepEqual(finding.fixes.map((f) => [f.title, f.preferred]), [
        ['Add IPv6 egress to security group Sg mirroring its IPv4 egress', true],
        ['Add IPv6 HTTPS egress (TCP 443 to ::/0) to security group Sg', false],
      ]);
    });

    it('every preferred fix removes its finding, adds none, and leaves nothing to apply again', async () => {
      for (const testCase of cases) {
        const text = testCase.sources[language];
        const before = await analyze(language, text);
        for (const finding of before) {
          const preferred = finding.fixes.find((f) => f.preferred);
          if (!preferred) continue;
          const fixed = applyEdits(text, preferred.edits);
          const after = await analyze(language, fixed);
          const context = `${testCase.title}: ${identity(finding)}`;
          assert.equal(after.some((f) => identity(f) === identity(finding)), false, `${context} is still reported`);
          const known = new Set(before.map(identity));
          assert.deepEqual(after.filter((f) => !known.has(identity(f))).map(identity), [], `${context} introduced findings`);
          assert.deepEqual(after.filter((f) => f.fixes.some((fix) => fix.preferred) && identity(f) === identity(finding)), [], `${context} can be applied again`);
        }
      }
    });
  });
}
