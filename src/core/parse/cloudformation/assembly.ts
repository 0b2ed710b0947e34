/**
 * A CDK cloud assembly (`cdk.out`, or any folder `cdk synth` wrote): its `manifest.json` lists the
 * stacks, each with its template file and the name CloudFormation deploys it under, which
 * `${AWS::StackName}` in an export name stands for.
 */
import * as path from 'node:path';
import { folderOf, joinPath } from '../cdk/cdkApp';

export const ASSEMBLY_MANIFEST = 'manifest.json';

export interface AssemblyStack {
  /** The artifact's id in the manifest (the stack's construct id for a stack of the app's root). */
  artifactId: string;
  /** `properties.stackName`, else the artifact id, as the CDK CLI deploys it. */
  stackName: string;
  /** The template's path, joined onto the manifest's folder as the manifest's own path is named (a path or a URI). */
  templateFile: string;
}

export function isAssemblyManifestPath(file: string): boolean {
  return path.basename(file.replace(/\\/g, '/')) === ASSEMBLY_MANIFEST;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The stacks a manifest lists, or undefined when the text is not a cloud assembly manifest (not
 * JSON, or no `artifacts` map with a CloudFormation stack). Nested assemblies (`cdk:cloud-assembly`,
 * a CDK Stage) are folders of their own and are not listed here.
 */
export function assemblyStacks(manifestPath: string, text: string): AssemblyStack[] | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined;
  }
  const artifacts = isRecord(manifest) ? manifest.artifacts : undefined;
  if (!isRecord(artifacts)) return undefined;
  const folder = folderOf(manifestPath);
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || artifact.type !== 'aws:cloudformation:stack' || !isRecord(artifact.properties)) continue;
    const { templateFile, stackName } = artifact.properties;
    // A template outside the assembly's folder is not the assembly's to read.
    if (typeof templateFile !== 'string' || path.isAbsolute(templateFile) || templateFile.split(/[\\/]/).includes('..')) continue;
    stacks.push({ artifactId, stackName: typeof stackName === 'string' && stackName !== '' ? stackName : artifactId, templateFile: joinPath(folder, templateFile) });
  }
  return stacks.length ? stacks : undefined;
}
