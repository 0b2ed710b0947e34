import type { ParsedUnit, SourceFile } from '../model/source';
import { parseCdk } from './cdk/parseCdk';
import { lowerTypescript, typescriptFlavor, typescriptLeaves } from './cdk/typescriptSyntax';

/** A CDK app or stack written in TypeScript (`.ts`, `.tsx`). */
export function parseCdkTypescript(file: SourceFile): Promise<ParsedUnit> {
  const grammar = file.path.toLowerCase().endsWith('.tsx') ? 'tsx' : 'typescript';
  return parseCdk(file, { grammar, lower: lowerTypescript, flavor: typescriptFlavor, leaves: typescriptLeaves });
}
