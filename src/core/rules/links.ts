/**
 * Public web addresses of the project, all derived from package.json's `repository`, so that moving
 * the repository is one edit there. esbuild bundles only the field imported here.
 */
import { repository } from '../../../package.json';

/** The repository's web address: `repository.url` without `git+` and `.git`. */
export const projectUrl: string = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** The rule's page on the web, for the CLI's text output and SARIF's `helpUri` (the editor opens the bundled copy). */
export function docsUrl(id: string): string {
  return `${projectUrl}/blob/main/docs/rules/${id}.md`;
}

/** The `source` of every diagnostic the editor integrations publish. */
export const DIAGNOSTIC_SOURCE = 'ipv6-lambda';
