import type { ParsedUnit, SourceFile } from '../model/source';
import { parseCdk } from './cdk/parseCdk';
import { lowerPython, pythonFlavor, pythonLeaves } from './cdk/pythonSyntax';

/** A CDK app or stack written in Python. */
export function parseCdkPython(file: SourceFile): Promise<ParsedUnit> {
  return parseCdk(file, { grammar: 'python', lower: lowerPython, flavor: pythonFlavor, leaves: pythonLeaves });
}
