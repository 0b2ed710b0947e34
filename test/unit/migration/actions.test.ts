/** What editors offer, computed in core (the VS Code adapter and the language server convert it). */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../../src/core/fixes/fixAll';
import { MIGRATE_COMMAND, migrationActionAt, migrationForFunction, migrationLenses } from '../../../src/core/migration/actions';
import type { AnalysisUnit } from '../../../src/core/model/source';

const ROOT = path.resolve(__dirname, '../../..');
const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');
const IPV4_ONLY = read('examples/cloudformation/ipv4-only.yaml');
const MIGRATED = read('test/fixtures/migration/ipv4-only.yaml');

function unit(text: string, format: AnalysisUnit['format'] = 'cloudformation', file = 't.yaml'): AnalysisUnit {
  return { format, files: [{ path: file, text }] };
}

describe('migration actions and lenses', () => {
  it('a lens above the IPv4-only VPC, with the command and its arguments', async () => {
    assert.deepEqual(await migrationLenses(unit(IPV4_ONLY), 't.yaml'), [
      {
        range: { start: { line: 7, character: 2 }, end: { line: 7, character: 5 } },
        title: 'Migrate VPC Vpc to dual-stack (1 IPv4-only function behind NAT)',
        command: MIGRATE_COMMAND,
        arguments: ['t.yaml', 'Vpc'],
      },
    ]);
    assert.deepEqual(await migrationLenses(unit(MIGRATED), 't.yaml'), []);
  });

  it('a CDK lens counts every function of the VPC', async () => {
    const lenses = await migrationLenses(unit(read('examples/cdk/ipv4-only-stack.ts'), 'cdk-typescript', 'stack.ts'), 'stack.ts');
    assert.deepEqual(lenses.map((lens) => lens.title), ['Migrate VPC Vpc to dual-stack (2 IPv4-only functions behind NAT)']);
  });

  it('the action on the VPC and on its function writes the whole migration', async () => {
    for (const position of [{ line: 7, character: 3 }, { line: 135, character: 8 }]) {
      const action = await migrationActionAt(unit(IPV4_ONLY), 't.yaml', position);
      assert.equal(action?.title, 'Migrate VPC Vpc to dual-stack');
      assert.equal(applyEdits(IPV4_ONLY, action!.edits!), MIGRATED);
    }
    assert.equal(await migrationActionAt(unit(IPV4_ONLY), 't.yaml', { line: 0, character: 0 }), undefined);
  });

  it('the quick fix of IPV6M001 is the migration of the function’s VPC', async () => {
    const action = await migrationForFunction(unit(IPV4_ONLY), 'OrdersApiFunction');
    assert.equal(applyEdits(IPV4_ONLY, action!.edits!), MIGRATED);
  });

  it('is disabled with the reason when a subnet of the VPC’s function is not in scope', async () => {
    const text = IPV4_ONLY.replace('Resources:\n', 'Parameters:\n  Extra:\n    Type: AWS::EC2::Subnet::Id\n\nResources:\n').replace(
      '          - !Ref PrivateSubnetB\n',
      '          - !Ref PrivateSubnetB\n          - !Ref Extra\n',
    );
    assert.deepEqual(await migrationActionAt(unit(text), 't.yaml', { line: 11, character: 3 }), {
      title: 'Migrate VPC Vpc to dual-stack',
      edits: undefined,
      disabledReason: 'a subnet of OrdersApiFunction comes from parameter Extra: give it an IPv6 CIDR where it is defined, or name it here.',
    });
  });

  it('on an already dual-stack VPC, says so', async () => {
    const action = await migrationActionAt(unit(MIGRATED), 't.yaml', { line: 7, character: 3 });
    assert.deepEqual(action, { title: 'Migrate VPC Vpc to dual-stack', edits: undefined, disabledReason: 'VPC Vpc is already dual-stack for its functions.' });
  });
});
