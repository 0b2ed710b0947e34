import * as path from 'node:path';

/**
 * The language client and the AWS SDK are bundled apart from dist/extension.js and required on
 * first use, so activation stays fast (the analysers run in the language server's own process). The type-only imports vanish from the bundle.
 */
function lazy<T>(bundle: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(path.join(__dirname, bundle)) as T;
    return loaded;
  };
}

export const awsModule = lazy<typeof import('../core/aws/bundle')>('aws.js');
export const clientModule = lazy<typeof import('./languageClient')>('client.js');
