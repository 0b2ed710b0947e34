/** Two accounts behind one endpoint (the access key decides, as on AWS) and the profiles that reach them. */
import type { EmulatorOptions } from './server';
import { ScenarioBuilder } from './scenarios';

export const SHOP_ACCOUNT = '111111111111';
export const FINANCE_ACCOUNT = '222222222222';
export const SHOP_ALIAS = 'shop-prod';

/** shop (alias `shop-prod`): `orders-api` ready; finance (key AKIDFINANCE, no alias): `billing` in IPv4-only subnets and `site` without a VPC. */
export function twoAccounts(region: string): Pick<EmulatorOptions, 'scenario' | 'accounts'> {
  const shop = new ScenarioBuilder(SHOP_ACCOUNT).alias(SHOP_ALIAS);
  const r1 = shop.region(region);
  r1.fn('orders-api', { network: r1.dualStackVpc() });
  const finance = new ScenarioBuilder(FINANCE_ACCOUNT);
  const r2 = finance.region(region);
  r2.fn('billing', { network: r2.ipv4OnlyVpc() }).fn('site');
  return { scenario: shop.build(), accounts: { AKIDFINANCE: finance.build() } };
}

/** ~/.aws/config text: profiles shop and finance (static keys, both in `[sso-session company]` when `sso`), and lost (no credentials). */
export function twoAccountProfiles(region: string, sso = false): string {
  const session = sso ? ['sso_session = company'] : [];
  return [
    '[profile shop]', `region = ${region}`, 'aws_access_key_id = AKIDSHOP', 'aws_secret_access_key = shop-secret', ...session,
    '[profile finance]', `region = ${region}`, 'aws_access_key_id = AKIDFINANCE', 'aws_secret_access_key = finance-secret', ...session,
    '[profile lost]', `region = ${region}`, 'credential_process = /bin/false',
    ...(sso ? ['[sso-session company]', 'sso_start_url = https://example.awsapps.com/start', `sso_region = ${region}`] : []),
    '',
  ].join('\n');
}
