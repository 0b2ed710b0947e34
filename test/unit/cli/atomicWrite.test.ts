import * as assert from 'node:assert/strict';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AtomicWriteSteps } from '../../../src/cli/io';
import { FileChangedOnDiskError, writeFileAtomically } from '../../../src/cli/io';
import { TEMPLATE, TempProject } from './harness';

describe('writing a file atomically', () => {
  let project: TempProject;
  let file: string;
  beforeEach(() => {
    project = new TempProject({ 'template.yaml': 'Resources: {}\n' });
    file = path.join(project.root, 'template.yaml');
  });
  afterEach(() => project.remove());

  const leftovers = () => readdirSync(project.root).filter((name) => name !== 'template.yaml');

  it('replaces the content, keeps the mode and leaves no temporary file', async () => {
    chmodSync(file, 0o640);
    await writeFileAtomically(file, 'Resources:\n  A: {Type: AWS::EC2::VPC}\n', 'Resources: {}\n');
    assert.equal(project.read('template.yaml'), 'Resources:\n  A: {Type: AWS::EC2::VPC}\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(leftovers(), []);
  });

  it('keeps CRLF line endings when the edits brought LF ones', async () => {
    writeFileSync(file, 'Resources:\r\n  A: 1\r\n');
    await writeFileAtomically(file, 'Resources:\r\n  A: 1\n  B: 2\n', 'Resources:\r\n  A: 1\r\n');
    assert.equal(project.read('template.yaml'), 'Resources:\r\n  A: 1\r\n  B: 2\r\n');
  });

  it('refuses to write when the file changed on disk since it was read', async () => {
    writeFileSync(file, 'Resources: {B: {Type: AWS::EC2::VPC}}\n');
    await assert.rejects(writeFileAtomically(file, 'new\n', 'Resources: {}\n'), (error: unknown) => error instanceof FileChangedOnDiskError && error.message.startsWith(`${file} changed on disk since it was read; nothing was written`));
    assert.equal(project.read('template.yaml'), 'Resources: {B: {Type: AWS::EC2::VPC}}\n');
  });

  it('leaves the original intact when the write is interrupted midway (a full disk)', async () => {
    const fullDisk: AtomicWriteSteps = {
      async writeTemporary(temporaryPath, text) {
        writeFileSync(temporaryPath, text.slice(0, text.length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      rename: () => assert.fail('never renamed'),
    };
    await assert.rejects(writeFileAtomically(file, TEMPLATE, 'Resources: {}\n', fullDisk), /ENOSPC/);
    assert.equal(project.read('template.yaml'), 'Resources: {}\n');
    assert.deepEqual(leftovers(), []);
  });

  it('leaves the original intact when the process stops before the rename', async () => {
    let written = '';
    const crashBeforeRename: AtomicWriteSteps = {
      async writeTemporary(temporaryPath, text) {
        writeFileSync(temporaryPath, text);
        written = temporaryPath;
      },
      rename: () => Promise.reject(new Error('killed')),
    };
    await assert.rejects(writeFileAtomically(file, TEMPLATE, 'Resources: {}\n', crashBeforeRename), /killed/);
    assert.equal(path.dirname(written), project.root, 'the temporary file sits in the same folder, so the rename is atomic');
    assert.equal(project.read('template.yaml'), 'Resources: {}\n');
    assert.deepEqual(leftovers(), []);
  });
});
