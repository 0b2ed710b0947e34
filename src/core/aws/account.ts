/** Reads several regions of one account at once; each region succeeds or fails on its own. */
import { analyzeGraph } from '../analysis/analyze';
import type { Finding } from '../model/findings';
import type { ResourceGraph } from '../model/graph';
import { functionStatuses, type FunctionStatus } from '../status/status';
import { createClients, type ClientOptions } from './clients';
import { describeAwsError } from './errors';
import { readRegion, type RegionInventory } from './inventory';
import { buildLiveGraph } from './liveGraph';
import { natGatewaysOfFunctions, readNatBill, type NatBill } from './natBill';

export interface AccountRequest extends ClientOptions {
  profile?: string;
  regions: string[];
  endpointUrl?: string;
  /** Regions read at the same time. Default 4. */
  concurrency?: number;
}

export interface RegionReport {
  region: string;
  /** Why the region could not be read (its functions could not be listed); null when it was. */
  error: string | null;
  inventory?: RegionInventory;
  graph?: ResourceGraph;
  findings: Finding[];
  /** By function key (the function name). */
  statuses: Map<string, FunctionStatus>;
  /** The NAT gateways the functions egress through and what they processed (30 days). */
  natBill?: NatBill;
}

/** Reads one region and runs the rules on it. */
export async function reportRegion(region: string, request: Omit<AccountRequest, 'regions' | 'concurrency'>): Promise<RegionReport> {
  const clients = createClients({ profile: request.profile, region, endpointUrl: request.endpointUrl }, request);
  try {
    const inventory = await readRegion({ clients, region });
    const graph = buildLiveGraph(inventory);
    const findings = analyzeGraph(graph);
    const natBill = await readNatBill(clients, natGatewaysOfFunctions(graph));
    return { region, error: null, inventory, graph, findings, statuses: functionStatuses(graph, findings), natBill };
  } catch (error) {
    const message = describeAwsError(error, { action: 'lambda:ListFunctions', region, profile: request.profile, endpointUrl: request.endpointUrl });
    return { region, error: message, findings: [], statuses: new Map() };
  }
}

/** Every requested region, in the order requested, at most `concurrency` at a time. */
export async function readAccount(request: AccountRequest): Promise<RegionReport[]> {
  const reports: RegionReport[] = new Array(request.regions.length);
  let next = 0;
  const worker = async () => {
    while (next < request.regions.length) {
      const index = next++;
      reports[index] = await reportRegion(request.regions[index], request);
    }
  };
  const workers = Math.max(1, Math.min(request.concurrency ?? 4, request.regions.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return reports;
}
