/** `ipv6-lambda disable`: the enable command with the flag turned off (the network is never changed). */
import type { ClientOptions } from '../core/aws/clients';
import { runEnableCommand } from './enable';
import type { CliIo } from './io';

export function run(args: string[], io: CliIo, aws: ClientOptions = {}): Promise<number> {
  return runEnableCommand(args, io, false, aws);
}
