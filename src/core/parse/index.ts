/**
 * Picks the parser for a file and turns parser failures into skipped files: an analysis never
 * crashes on what it reads.
 */
import { emptyGraph } from '../model/graph';
import { noFixes } from '../model/fixes';
import type { AnalysisUnit, ParsedUnit, SourceFormat } from '../model/source';
import { parseCdkPythonApp } from './cdkPython';
import { parseCdkTypescriptApp } from './cdkTypescript';
import { isCloudFormationTemplate, type KeptTemplateParses, parseCloudFormation } from './cloudformation';
import { isServerlessService, parseServerless } from './serverless';
import { parseTerraform } from './terraform';

const CLOUDFORMATION_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

/** The format of a file worth analysing, or undefined; a cheap look, the parser decides the rest. */
export function detectFormat(path: string, text: string): SourceFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf')) return 'terraform';
  if (isServerlessService(path, text)) return 'serverless';
  if (CLOUDFORMATION_EXTENSIONS.some((extension) => lower.endsWith(extension))) {
    return isCloudFormationTemplate(text, path) ? 'cloudformation' : undefined;
  }
  if (lower.endsWith('.ts') && !lower.endsWith('.d.ts')) return text.includes('aws-cdk-lib') ? 'cdk-typescript' : undefined;
  if (lower.endsWith('.py')) return text.includes('aws_cdk') ? 'cdk-python' : undefined;
  return undefined;
}

/** Why a file of a folder walk is not analysed: the counterpart of {@link detectFormat} returning undefined. */
export function unrecognisedReason(path: string): string {
  const lower = path.toLowerCase();
  if (CLOUDFORMATION_EXTENSIONS.some((extension) => lower.endsWith(extension))) {
    return 'not a CloudFormation/SAM template: no AWSTemplateFormatVersion, AWS transform or Resources of typed resources';
  }
  if (lower.endsWith('.d.ts')) return 'a TypeScript declaration file';
  if (lower.endsWith('.ts')) return 'TypeScript that does not use aws-cdk-lib';
  if (lower.endsWith('.py')) return 'Python that does not use aws_cdk';
  const extension = /\.[^./\\]+$/.exec(lower)?.[0];
  return `not a format ipv6-lambda reads (${extension ? `${extension} file` : 'no file extension'})`;
}

async function parseByFormat(unit: AnalysisUnit, kept: KeptTemplateParses | undefined): Promise<ParsedUnit> {
  switch (unit.format) {
    case 'cloudformation':
      return parseCloudFormation(unit.files, kept);
    case 'terraform':
      return parseTerraform(unit.files, unit.root);
    case 'cdk-typescript':
      return parseCdkTypescriptApp(unit.files, unit.root);
    case 'cdk-python':
      return parseCdkPythonApp(unit.files, unit.root);
    case 'serverless':
      return parseServerless(unit.files);
  }
}

/** `kept`: the parses an editor keeps of its documents' previous versions, for CloudFormation YAML. */
export async function parseUnit(unit: AnalysisUnit, kept?: KeptTemplateParses): Promise<ParsedUnit> {
  try {
    return await parseByFormat(unit, kept);
  } catch (error) {
    const reason = `could not be analysed (${error instanceof Error ? error.message : String(error)}); please report this with the file attached`;
    return { graph: emptyGraph(), fixes: noFixes, suppressions: new Map(), skipped: unit.files.map((file) => ({ file: file.path, reason })) };
  }
}
