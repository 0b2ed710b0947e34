/**
 * SDK errors in words that say what failed and what to do next. Never includes credentials: only
 * the error's name, code and the service's own message.
 */

export interface FailedCall {
  /** IAM action of the call, e.g. `ec2:DescribeSubnets`. */
  action: string;
  region: string;
  profile?: string;
  endpointUrl?: string;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function profileFlag(profile: string | undefined): string {
  return profile ? ` --profile ${profile}` : '';
}

/** A message for a failed AWS call, naming the action and region and the next step. */
export function describeAwsError(error: unknown, call: FailedCall): string {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorShape;
  const name = e.name ?? e.Code ?? '';
  const code = e.Code ?? e.code ?? name;
  const message = e.message ?? '';
  const where = `${call.action} in ${call.region}`;
  const profileText = call.profile ? `profile ${call.profile}` : 'the default credentials';

  if (/sso/i.test(message) && /(expired|token|refresh|login)/i.test(message)) {
    return `The SSO session of ${profileText} has expired or was never started: run \`aws sso login${profileFlag(call.profile)}\` and try again.`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return `No AWS credentials could be loaded for ${profileText} (${message.split('\n')[0]}). Configure them with \`aws configure${profileFlag(call.profile)}\` or \`aws configure sso\`, or choose another profile.`;
  }
  if (/^ExpiredToken(Exception)?$/.test(code) || /security token included in the request is expired/i.test(message)) {
    return `The credentials of ${profileText} have expired: refresh them (for SSO: \`aws sso login${profileFlag(call.profile)}\`) and try again.`;
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'InvalidSignatureException', 'SignatureDoesNotMatch'].includes(code)) {
    return `AWS rejected the credentials of ${profileText} for ${where} (${code}): check that they are current and belong to this account.`;
  }
  if (['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'].includes(code) || e.$metadata?.httpStatusCode === 403) {
    return `Not allowed to call ${where}: the identity of ${profileText} needs the IAM permission ${call.action}.`;
  }
  if (['TooManyRequestsException', 'RequestLimitExceeded', 'Throttling', 'ThrottlingException'].includes(code)) {
    return `AWS kept throttling ${where} after retries: try again in a minute or scan fewer regions at once.`;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    const endpoint = call.endpointUrl ? ` at ${call.endpointUrl}` : '';
    return `Could not reach AWS${endpoint} for ${where} (${code || message}): check the network${call.endpointUrl ? ' and --endpoint-url' : ''}.`;
  }
  if (['UnknownEndpoint', 'InvalidEndpointException'].includes(code) || /region/i.test(message) && /(invalid|not valid|unknown)/i.test(message)) {
    return `${where} failed: ${message} Check that ${call.region} is a region this account uses.`;
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return `AWS answered ${where} with a server error (${code}: ${message}) after retries: try again later.`;
  }
  return `${where} failed: ${code && code !== 'Error' ? `${code}: ` : ''}${message}`;
}
