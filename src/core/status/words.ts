/**
 * A function's status in one word and its words for people. Apart from status.ts so that the
 * extension's activation bundle can name statuses without the rules' code.
 */
export type StatusKind = 'enabled' | 'enabled-incomplete' | 'ready' | 'ipv4-only' | 'invalid' | 'no-vpc' | 'managed-instances' | 'unknown';

/** Status words for lists and trees, in the order pickers list them. */
export const STATUS_WORDS: Record<StatusKind, string> = {
  'ready': 'ready to enable',
  'enabled': 'IPv6 on',
  'enabled-incomplete': 'IPv6 on, egress incomplete',
  'invalid': 'invalid IPv6 setup',
  'ipv4-only': 'IPv4-only subnets',
  'no-vpc': 'no VPC',
  'managed-instances': 'managed instances',
  'unknown': 'unknown',
};
