import type { ParsedUnit, SourceFile } from '../model/source';
import { parseCdkApp } from './cdk/cdkApp';
import type { CdkLanguage } from './cdk/parseCdk';
import { lowerTypescript, typescriptFlavor, typescriptLeaves } from './cdk/typescriptSyntax';

export function typescriptLanguage(file: SourceFile | undefined): CdkLanguage {
  const grammar = file?.path.toLowerCase().endsWith('.tsx') ? 'tsx' : 'typescript';
  return { grammar, lower: lowerTypescript, flavor: typescriptFlavor, leaves: typescriptLeaves };
}

/** A CDK app or stack written in TypeScript (`.ts`, `.tsx`): one file, or the files of one app together. */
export function parseCdkTypescript(file: SourceFile): Promise<ParsedUnit> {
  return parseCdkApp([file], typescriptLanguage(file));
}

/** The files of one TypeScript CDK app; `root` is the app's folder (where `cdk.json` is). */
export function parseCdkTypescriptApp(files: SourceFile[], root?: string): Promise<ParsedUnit> {
  return parseCdkApp(files, typescriptLanguage(files[0]), root);
}
