/** An in-process emulator with real SDK clients and static fake credentials, for the enable tests. */
import type { Scenario, RegionScenario } from '../../emulator/scenario';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { createClients, type AwsClients } from '../../../src/core/aws/clients';
import type { Timing } from '../../../src/core/aws/enable';

export const REGION = 'eu-west-1';
/** Fake, but shaped like real ones, so a leak would be recognisable. */
export const CREDENTIALS = {
  accessKeyId: 'AKIAEMULATORTESTKEY1',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY1',
  sessionToken: 'FwoGZXIvYXdzEMULATORSESSIONTOKENxyz0123456789',
};

export const FAST: Partial<Timing> = { maxWaitSeconds: 10, waiterMinDelaySeconds: 0.02, backoffBaseMs: 5, backoffAttempts: 8 };

export interface Harness {
  emulator: RunningEmulator;
  clients: AwsClients;
  /** The emulator's state document (GET /__emulator/state). */
  state(): Promise<Scenario>;
  region(): Promise<RegionScenario>;
  close(): Promise<void>;
}

export async function harness(scenario: Scenario, options: Omit<EmulatorOptions, 'scenario'> = {}): Promise<Harness> {
  const emulator = await startEmulator({ updateDelayMs: 20, ...options, scenario });
  const clients = createClients({ region: REGION, endpointUrl: emulator.url }, { credentials: CREDENTIALS });
  const state = async () => (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as Scenario;
  return {
    emulator,
    clients,
    state,
    region: async () => (await state()).regions[REGION],
    close: () => emulator.close(),
  };
}
