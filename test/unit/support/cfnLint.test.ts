import * as assert from 'node:assert/strict';
import { errorsOnly, lintTemplates } from '../../support/cfnLint';

describe('cfn-lint test helper', () => {
  it('lints several templates in one run and reports each match at its file, rule, line and column', () => {
    const matches = lintTemplates([
      { name: 'clean.yaml', text: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n" },
      {
        name: 'nested/broken.yaml',
        text: "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Unused:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      NotAProperty: 1\n",
      },
    ]);
    assert.deepEqual(
      matches.map(({ file, rule, level, line, column }) => ({ file, rule, level, line, column })),
      [
        { file: 'nested/broken.yaml', rule: 'W2001', level: 'Warning', line: 3, column: 3 },
        { file: 'nested/broken.yaml', rule: 'E3002', level: 'Error', line: 9, column: 7 },
      ],
    );
    assert.match(matches[1].message, /'NotAProperty' was unexpected/);
    assert.deepEqual(errorsOnly(matches).map((match) => match.rule), ['E3002']);
  });

  it('reads JSON templates too', () => {
    const matches = lintTemplates([{ name: 'template.json', text: '{"Resources": {"Topic": {"Type": "AWS::SNS::Topik"}}}' }]);
    assert.deepEqual(errorsOnly(matches).map(({ file, rule, line }) => ({ file, rule, line })), [{ file: 'template.json', rule: 'E3006', line: 1 }]);
  });
});
