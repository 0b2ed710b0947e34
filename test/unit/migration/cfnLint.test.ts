/**
 * cfn-lint judges every migrated CloudFormation template: the IPv4-only examples after the
 * migration (mirrored egress, TCP 443 only, every private subnet) lint without an error (E*). It
 * knows the resource schemas, so a wrong property, value type, a missing DependsOn on the
 * VPCCidrBlock or an attribute a resource does not return would show here.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MigrationOptions } from '../../../src/core/migration/migrate';
import { migrateUnit } from '../../../src/core/migration/migrate';
import { errorsOnly, lintTemplates } from '../../support/cfnLint';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = ['ipv4-only.yaml', 'ipv4-only.json', 'sam-ipv4-only.yaml', 'ipv4-only-vpc-parameter.yaml'];
const VARIANTS: [string, MigrationOptions][] = [
  ['mirror', {}],
  ['https', { sgEgress: 'https' }],
  ['all-subnets', { allSubnets: true }],
];

/** The service's trailing `resources:` section, one level out, as a template (the example keeps it last). */
function resourcesAsTemplate(service: string): string {
  const section = service.slice(service.indexOf('\nresources:\n') + '\nresources:\n'.length);
  assert.match(section, /^ {2}Resources:\n/);
  return `AWSTemplateFormatVersion: '2010-09-09'\n${section.replace(/^ {2}/gm, '')}`;
}

describe('cfn-lint on migrated CloudFormation templates', function () {
  this.timeout(120_000);

  it('finds no error in any migrated example, in any variant', async () => {
    const templates: { name: string; text: string }[] = [];
    for (const example of EXAMPLES) {
      const file = `examples/cloudformation/${example}`;
      for (const [variant, options] of VARIANTS) {
        const result = await migrateUnit({ format: 'cloudformation', files: [{ path: file, text: readFileSync(path.join(ROOT, file), 'utf8') }] }, options);
        assert.equal(result.migrated.length, 1, `${example} (${variant}) was migrated`);
        templates.push({ name: `${variant}/${example}`, text: result.files.get(file)! });
      }
    }
    // A Serverless service's resources.Resources is a template's Resources section: lint it as one.
    const service = 'examples/serverless/serverless.yml';
    const migratedService = await migrateUnit({ format: 'serverless', files: [{ path: service, text: readFileSync(path.join(ROOT, service), 'utf8') }] });
    templates.push({ name: 'serverless/resources.yaml', text: resourcesAsTemplate(migratedService.files.get(service)!) });
    const errors = errorsOnly(lintTemplates(templates));
    assert.deepEqual(errors, [], errors.map((match) => `${match.file}:${match.line} ${match.rule} ${match.message}`).join('\n'));
  });
});
