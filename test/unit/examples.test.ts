/**
 * The demo content of examples/ says what it shows: each NAT-only example fires exactly the rules
 * its comments and the README name, each corrected one analyses clean, and the demo account of
 * `npm start` has functions of every status.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { analyzeUnit } from '../../src/core/analysis/analyzeUnit';
import { readAccount, type RegionReport } from '../../src/core/aws/account';
import { createClients } from '../../src/core/aws/clients';
import { fixUnit } from '../../src/core/fixes/fixAll';
import type { AnalysisUnit } from '../../src/core/model/source';
import type { StatusKind } from '../../src/core/status/status';
import { collectUnits } from '../../src/core/project/workspace';
import type { Scenario } from '../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../emulator/server';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');

/** Per analysis unit (a template, a CDK file, a Terraform folder): per file, `RULE subject` in report order. */
const EXPECTED: Record<string, Record<string, string[]>> = {
  'cdk/dual-stack-stack.ts': {},
  'cdk/dual_stack_stack.py': {},
  'cdk/ipv4-only-stack.ts': { 'cdk/ipv4-only-stack.ts': ['IPV6M001 OrdersApi', 'IPV6M001 BillingWorker'] },
  'cdk/ipv4_only_stack.py': { 'cdk/ipv4_only_stack.py': ['IPV6M001 OrdersApi', 'IPV6M001 BillingWorker'] },
  'cdk/nat-only-stack.ts': {
    'cdk/nat-only-stack.ts': ['IPV6S001 PaymentsWorker', 'IPV6L002 PaymentsWorker', 'IPV6L001 OrdersApi'],
  },
  'cdk/nat_only_stack.py': {
    'cdk/nat_only_stack.py': ['IPV6S001 PaymentsWorker', 'IPV6L002 PaymentsWorker', 'IPV6L001 OrdersApi'],
  },
  'cloudformation/dual-stack.yaml': {},
  'cloudformation/ipv4-only-vpc-parameter.yaml': { 'cloudformation/ipv4-only-vpc-parameter.yaml': ['IPV6M001 OrdersApiFunction'] },
  'cloudformation/ipv4-only.json': { 'cloudformation/ipv4-only.json': ['IPV6M001 OrdersApiFunction'] },
  'cloudformation/ipv4-only.yaml': { 'cloudformation/ipv4-only.yaml': ['IPV6M001 OrdersApiFunction'] },
  'cloudformation/nat-only.yaml': {
    'cloudformation/nat-only.yaml': ['IPV6N002 PrivateRouteTable', 'IPV6L001 OrdersApiFunction'],
  },
  'cloudformation/nat-route.json': {
    'cloudformation/nat-route.json': ['IPV6N001 PrivateIpv6DefaultRoute'],
  },
  'cloudformation/sam-globals.yaml': {
    'cloudformation/sam-globals.yaml': ['IPV6L001 ImageResizerFunction', 'IPV6L001 ThumbnailIndexerFunction'],
  },
  'cloudformation/sam-ipv4-only.yaml': { 'cloudformation/sam-ipv4-only.yaml': ['IPV6M001 ImageResizerFunction', 'IPV6M001 ThumbnailIndexerFunction'] },
  'cloudformation/suppressed.yaml': {},
  'serverless/serverless.yml': { 'serverless/serverless.yml': ['IPV6M001 BillingWorkerLambdaFunction', 'IPV6M001 OrdersApiLambdaFunction'] },
  'terraform/dual-stack': {},
  'terraform/ipv4-only': { 'terraform/ipv4-only/main.tf': ['IPV6M001 aws_lambda_function.orders_api'] },
  'terraform/ipv4-only-vpc-variable': { 'terraform/ipv4-only-vpc-variable/main.tf': ['IPV6M001 aws_lambda_function.orders_api'] },
  'terraform/ipv4-only-modules': { 'terraform/ipv4-only-modules/main.tf': ['IPV6M001 module.image_resizer'] },
  'terraform/nat-only': {
    'terraform/nat-only/lambda.tf': ['IPV6L001 aws_lambda_function.orders_api'],
    'terraform/nat-only/network.tf': ['IPV6N002 aws_route_table.private'],
  },
  'terraform/registry-modules': {
    'terraform/registry-modules/main.tf': ['IPV6L001 module.image_resizer'],
  },
};

/** A unit's name: its file, or for Terraform its folder, relative to examples/. */
function unitName(unit: AnalysisUnit): string {
  const first = unit.files[0].path;
  return unit.format === 'terraform' ? path.dirname(first) : first;
}

async function exampleUnits(): Promise<Map<string, AnalysisUnit>> {
  const { units, skipped } = await collectUnits(['.'], { cwd: EXAMPLES });
  assert.deepEqual(skipped, []);
  return new Map(units.map((unit) => [unitName(unit), unit]));
}

async function findingsByFile(unit: AnalysisUnit): Promise<Record<string, string[]>> {
  const { findings, skipped } = await analyzeUnit(unit);
  assert.deepEqual(skipped, [], `${unitName(unit)} did not parse`);
  const byFile: Record<string, string[]> = {};
  for (const finding of findings) (byFile[finding.loc!.file] ??= []).push(`${finding.rule} ${finding.subject}`);
  return byFile;
}

describe('examples/', () => {
  let units: Map<string, AnalysisUnit>;
  before(async () => {
    units = await exampleUnits();
  });

  it('holds exactly the example units this test describes', () => {
    assert.deepEqual([...units.keys()].sort(), Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    const title = Object.keys(expected).length === 0 ? `${name} analyses clean` : `${name} reports ${Object.values(expected).flat().map((f) => f.split(' ')[0]).join(', ')}`;
    it(title, async () => {
      assert.deepEqual(await findingsByFile(units.get(name)!), expected);
    });
  }

  it('the NAT-only CloudFormation function shows IPV6S001 once its flag is on: the security group lets only IPv4 out', async () => {
    const unit = units.get('cloudformation/nat-only.yaml')!;
    const fixed = await fixUnit(unit, { only: ['IPV6L001'] });
    assert.deepEqual(fixed.applied.map((applied) => applied.rule), ['IPV6L001']);
    const after = { format: unit.format, files: [{ path: unit.files[0].path, text: fixed.files.get(unit.files[0].path)! }] };
    assert.deepEqual(await findingsByFile(after), {
      'cloudformation/nat-only.yaml': ['IPV6N002 PrivateRouteTable', 'IPV6S001 OrdersApiFunction'],
    });
  });

  for (const name of ['cloudformation/nat-only.yaml', 'cloudformation/nat-route.json', 'cloudformation/sam-globals.yaml', 'terraform/nat-only', 'terraform/registry-modules']) {
    it(`the preferred fixes leave nothing to report in ${name}`, async () => {
      const result = await fixUnit(units.get(name)!);
      assert.deepEqual(result.unparsable, []);
      assert.deepEqual(result.remaining.map((finding) => finding.rule), []);
    });
  }

  for (const name of ['cdk/nat-only-stack.ts', 'cdk/nat_only_stack.py']) {
    it(`the preferred fixes of ${name} leave only IPV6L002, whose fixes are a choice for the user`, async () => {
      const result = await fixUnit(units.get(name)!);
      assert.deepEqual(result.remaining.map((finding) => `${finding.rule} ${finding.subject}`), ['IPV6L002 PaymentsWorker']);
      assert.deepEqual(
        result.remaining[0].fixes.map((fix) => [fix.title, fix.preferred]),
        [
          ['Set Ipv6AllowedForDualStack to false on PaymentsWorker', false],
          ['Make VPC LegacyVpc dual-stack', false],
        ],
      );
    });
  }
});

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLEDEMOKEY01', secretAccessKey: 'demo-account-secret-key' };

function countsByStatus(report: RegionReport): Partial<Record<StatusKind, number>> {
  const counts: Partial<Record<StatusKind, number>> = {};
  for (const status of report.statuses.values()) counts[status.kind] = (counts[status.kind] ?? 0) + 1;
  return counts;
}

function functionsWith(report: RegionReport, kind: StatusKind): string[] {
  return [...report.statuses].filter(([, status]) => status.kind === kind).map(([name]) => name);
}

describe('examples/demo-account.json', () => {
  let emulator: RunningEmulator;
  let reports: RegionReport[];
  before(async () => {
    const scenario = JSON.parse(readFileSync(path.join(EXAMPLES, 'demo-account.json'), 'utf8')) as Scenario;
    emulator = await startEmulator({ scenario, updateDelayMs: 0 });
    reports = await readAccount({ regions: REGIONS, endpointUrl: emulator.url, credentials: CREDENTIALS });
  });
  after(async () => {
    await emulator.close();
  });

  it('has functions of every status in us-east-1 and eu-west-1', () => {
    assert.deepEqual(
      reports.map((report) => [report.region, report.error, countsByStatus(report)]),
      [
        ['us-east-1', null, { 'enabled': 2, 'ready': 4, 'enabled-incomplete': 2, 'invalid': 2, 'ipv4-only': 2, 'no-vpc': 4 }],
        ['eu-west-1', null, { 'enabled': 1, 'ready': 3, 'enabled-incomplete': 2, 'invalid': 1, 'ipv4-only': 1, 'no-vpc': 2 }],
        ['ap-southeast-2', null, { unknown: 4 }],
      ],
    );
  });

  it('says why the ap-southeast-2 functions are unknown: the caller may not describe subnets', () => {
    const reasons = new Set([...reports[2].statuses.values()].map((status) => status.reason));
    assert.deepEqual([...reasons], [
      'Not allowed to call ec2:DescribeSubnets in ap-southeast-2: the identity of the default credentials needs the IAM permission ec2:DescribeSubnets.',
    ]);
  });

  it('covers each rule that makes a status incomplete or invalid', () => {
    const rules = (kind: StatusKind) =>
      [...new Set(reports.flatMap((report) => functionsWith(report, kind).flatMap((name) => report.statuses.get(name)!.findings.map((f) => f.rule))))].sort();
    assert.deepEqual(rules('enabled-incomplete'), ['IPV6N001', 'IPV6N002', 'IPV6N003', 'IPV6S001']);
    assert.deepEqual(rules('invalid'), ['IPV6L002', 'IPV6L003', 'IPV6S001']);
  });

  it('has ready functions whose route table lacks ::/0, so "enable with network fixes" has work to do', () => {
    const natOnly = reports.flatMap((report) =>
      functionsWith(report, 'ready').filter((name) => report.statuses.get(name)!.findings.some((f) => f.rule === 'IPV6N002')),
    );
    assert.deepEqual(natOnly, ['payments-webhook', 'invoice-generator']);
  });

  it('accepts the flag on every ready function: their subnets are dual-stack', async () => {
    try {
      for (const report of reports) {
        const lambda = await createClients({ region: report.region, endpointUrl: emulator.url }, { credentials: CREDENTIALS }).lambda();
        for (const name of functionsWith(report, 'ready')) {
          const vpc = report.inventory!.functions.find((fn) => fn.FunctionName === name)!.VpcConfig!;
          const updated = await lambda.send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: name,
              VpcConfig: { SubnetIds: vpc.SubnetIds, SecurityGroupIds: vpc.SecurityGroupIds, Ipv6AllowedForDualStack: true },
            }),
          );
          assert.equal(updated.VpcConfig?.Ipv6AllowedForDualStack, true, name);
        }
      }
    } finally {
      emulator.reset();
    }
  });
});
