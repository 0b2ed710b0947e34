/**
 * Several accounts at once: one profile per account (AWS Toolkit users' "one SSO start URL, many
 * accounts"), each named by its account id (STS GetCallerIdentity) and alias (IAM ListAccountAliases), its regions read in parallel with
 * one bound on the region reads in flight across all accounts. An account that fails shows its error;
 * the others load.
 */
import { reportRegion, type AccountRequest, type RegionReport } from './account';
import { createClients, defaultRegion, listProfiles, type ClientOptions } from './clients';
import { describeAwsError } from './errors';

export interface AccountsRequest extends ClientOptions {
  /** Profiles to read; `undefined` is the SDK's default chain. */
  profiles: (string | undefined)[];
  /** Regions to read in every account; empty: each profile's own region. */
  regions: string[];
  endpointUrl?: string;
  /** Region reads in flight at once, across accounts. Default 6. */
  concurrency?: number;
}

export interface AccountReport {
  profile?: string;
  /** From STS GetCallerIdentity; undefined when the identity could not be read. */
  accountId?: string;
  /** From IAM ListAccountAliases; undefined when the account has none or the call was refused. */
  alias?: string;
  /** Why the account could not be read at all (no region given or found, credentials…); null when it was. */
  error: string | null;
  regions: RegionReport[];
}

/** Profiles signing in through the given `[sso-session NAME]`: "all accounts of this SSO session". */
export async function profilesOfSsoSession(session: string): Promise<string[]> {
  return (await listProfiles()).filter((profile) => profile.ssoSession === session).map((profile) => profile.name);
}

export interface AccountIdentity {
  accountId?: string;
  alias?: string;
}

/**
 * The account a profile's credentials belong to (STS GetCallerIdentity, which fails loudly: without it
 * nothing else will work) and its alias (IAM ListAccountAliases, which many roles may not call: a
 * refusal or any other failure leaves the alias out, silently, since the id names the account anyway).
 */
export async function accountIdentity(request: Omit<AccountRequest, 'regions'>, region: string): Promise<AccountIdentity> {
  const clients = createClients({ profile: request.profile, region, endpointUrl: request.endpointUrl }, request);
  const [{ GetCallerIdentityCommand }, { ListAccountAliasesCommand }] = await Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/client-iam')]);
  const alias = clients
    .iam()
    .then((iam) => iam.send(new ListAccountAliasesCommand({})))
    .then((reply) => reply.AccountAliases?.[0], () => undefined);
  const accountId = (await (await clients.sts()).send(new GetCallerIdentityCommand({}))).Account;
  const known = await alias;
  return { accountId, ...(known ? { alias: known } : {}) };
}

/** Every profile's regions, in the order requested; at most `concurrency` region reads at a time overall. */
export async function readAccounts(request: AccountsRequest): Promise<AccountReport[]> {
  const reports: AccountReport[] = request.profiles.map((profile) => ({ ...(profile ? { profile } : {}), error: null, regions: [] }));
  const jobs: { account: number; region: string; index: number }[] = [];
  await Promise.all(
    request.profiles.map(async (profile, account) => {
      const regions = request.regions.length > 0 ? request.regions : [await defaultRegion(profile)].filter((r): r is string => Boolean(r));
      if (regions.length === 0) {
        reports[account].error = `${profile ? `Profile ${profile}` : 'The default profile'} sets no region: choose the regions to read.`;
        return;
      }
      const options = { ...request, profile };
      try {
        Object.assign(reports[account], await accountIdentity(options, regions[0]));
      } catch (error) {
        reports[account].error = describeAwsError(error, { action: 'sts:GetCallerIdentity', region: regions[0], profile, endpointUrl: request.endpointUrl });
        return;
      }
      reports[account].regions = new Array(regions.length);
      regions.forEach((region, index) => jobs.push({ account, region, index }));
    }),
  );
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { account, region, index } = jobs[next++];
      const profile = request.profiles[account];
      reports[account].regions[index] = await reportRegion(region, { ...request, profile });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(request.concurrency ?? 6, jobs.length)) }, worker));
  return reports;
}
