/**
 * Published versions and aliases of a function. UpdateFunctionConfiguration changes only $LATEST:
 * each published version keeps the configuration it was published with, and an alias keeps pointing
 * at its version, so callers through them see no change until a new version is published.
 */
import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { CallContext } from './calls';
import { describeFailure, errorName, withBackoff } from './calls';

interface FirstPage<T> {
  items: T[];
  /** More items exist beyond the first page. */
  more: boolean;
}

type Listing<T> = FirstPage<T> | { denied: string };

function isDenied(error: unknown): boolean {
  return ['AccessDenied', 'AccessDeniedException'].includes(errorName(error)) || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403;
}

/** The first page of a listing; a denied call becomes the action that was denied, other failures fail the plan. */
async function firstPage<T>(context: CallContext, action: string, call: () => Promise<{ items?: T[]; next?: string }>): Promise<Listing<T>> {
  try {
    const page = await withBackoff(call, context.timing, context.signal);
    return { items: page.items ?? [], more: page.next !== undefined };
  } catch (error) {
    if (isDenied(error)) return { denied: action };
    throw new Error(describeFailure(error, action, context.clients));
  }
}

/** The flag the published versions keep: one value when they agree, else each its own. */
function keptFlag(versions: FunctionConfiguration[]): string {
  const flags = new Set(versions.map((v) => v.VpcConfig?.Ipv6AllowedForDualStack === true));
  return flags.size === 1 ? `Ipv6AllowedForDualStack ${[...flags][0]}` : 'their own Ipv6AllowedForDualStack setting';
}

function deniedNote(actions: string[]): string {
  const what = actions.length === 2 ? 'published versions and aliases' : actions[0] === 'lambda:ListAliases' ? 'aliases' : 'published versions';
  const permissions = actions.join(' and ');
  return `Could not check for ${what} (${permissions} ${actions.length === 1 ? 'was' : 'were'} denied): only $LATEST changes; published versions keep the setting they were published with. Allow ${permissions} to see them.`;
}

/**
 * What the plan should say about the function's published versions and aliases: nothing when it has
 * none, which ones keep the old setting when it has some, and which permission is missing when the
 * listing was denied. Reads the first page of each listing only: that is enough to know whether any exist.
 */
export async function publishedVersionNotes(context: CallContext, functionName: string): Promise<string[]> {
  const { ListAliasesCommand, ListVersionsByFunctionCommand } = await import('@aws-sdk/client-lambda');
  const lambda = await context.clients.lambda();
  const options = { abortSignal: context.signal };
  const [versions, aliases] = await Promise.all([
    firstPage<FunctionConfiguration>(context, 'lambda:ListVersionsByFunction', async () => {
      const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName }), options);
      return { items: out.Versions, next: out.NextMarker };
    }),
    firstPage<AliasConfiguration>(context, 'lambda:ListAliases', async () => {
      const out = await lambda.send(new ListAliasesCommand({ FunctionName: functionName }), options);
      return { items: out.Aliases, next: out.NextMarker };
    }),
  ]);

  const published = 'denied' in versions ? undefined : { items: versions.items.filter((v) => v.Version !== '$LATEST'), more: versions.more };
  // An alias of $LATEST follows the change; only aliases of published versions stay behind.
  const pinned = 'denied' in aliases ? undefined : { items: aliases.items.filter((a) => a.FunctionVersion !== '$LATEST'), more: aliases.more };
  const groups: string[] = [];
  let count = 0;
  if (published && published.items.length > 0) {
    groups.push(`published ${published.items.length === 1 && !published.more ? 'version' : 'versions'} ${[...published.items.map((v) => v.Version ?? ''), ...(published.more ? ['…'] : [])].join(', ')}`);
    count += published.items.length + (published.more ? 1 : 0);
  }
  if (pinned && pinned.items.length > 0) {
    const names = pinned.items.map((a) => `${a.Name} → ${a.FunctionVersion}`);
    groups.push(`${pinned.items.length === 1 && !pinned.more ? 'alias' : 'aliases'} ${[...names, ...(pinned.more ? ['…'] : [])].join(', ')}`);
    count += pinned.items.length + (pinned.more ? 1 : 0);
  }

  const notes: string[] = [];
  if (groups.length > 0) {
    const flag = published && published.items.length > 0 ? keptFlag(published.items) : `the Ipv6AllowedForDualStack setting of ${count === 1 ? 'its version' : 'their versions'}`;
    const moveAliases = pinned && pinned.items.length > 0 ? ` and move the ${pinned.items.length === 1 && !pinned.more ? 'alias' : 'aliases'}` : '';
    notes.push(`Only $LATEST changes: ${groups.join(' and ')} ${count === 1 ? 'keeps' : 'keep'} ${flag} until you publish a new version${moveAliases}.`);
  }
  const denied = [versions, aliases].flatMap((listing) => ('denied' in listing ? [listing.denied] : []));
  if (denied.length > 0) notes.push(deniedNote(denied));
  return notes;
}
