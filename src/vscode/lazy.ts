import * as path from 'node:path';

/**
 * The analysers (parsers, grammars) and the AWS SDK are bundled apart from dist/extension.js and
 * required on first use, so activation stays fast. The type-only imports vanish from the bundle.
 */
function lazy<T>(bundle: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(path.join(__dirname, bundle)) as T;
    return loaded;
  };
}

export const analysisModule = lazy<typeof import('../core/entry-analysis')>('analysis.js');
export const awsModule = lazy<typeof import('../core/entry-aws')>('aws.js');
