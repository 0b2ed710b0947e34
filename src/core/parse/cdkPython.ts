import type { ParsedUnit, SourceFile } from '../model/source';
import { parseCdkApp } from './cdk/cdkApp';
import type { CdkLanguage } from './cdk/parseCdk';
import { lowerPython, pythonFlavor, pythonLeaves } from './cdk/pythonSyntax';

export const pythonLanguage: CdkLanguage = { grammar: 'python', lower: lowerPython, flavor: pythonFlavor, leaves: pythonLeaves };

/** A CDK app or stack written in Python. */
export function parseCdkPython(file: SourceFile): Promise<ParsedUnit> {
  return parseCdkApp([file], pythonLanguage);
}

/** The files of one Python CDK app; `root` is the app's folder (where `cdk.json` and `app.py` are). */
export function parseCdkPythonApp(files: SourceFile[], root?: string): Promise<ParsedUnit> {
  return parseCdkApp(files, pythonLanguage, root);
}
