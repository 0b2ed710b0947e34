/** The plan of an enable/disable run: what will be written, in order, and why nothing else will. */
import type { IpPermission } from '@aws-sdk/client-ec2';
import type { RuleId } from '../../model/findings';
import type { AwsClients, ClientTarget } from '../clients';
import type { NatBill } from '../natBill';

export type SgEgressVariant = 'all' | 'https';

export interface EnableOptions {
  /** true: allow IPv6 (Ipv6AllowedForDualStack = true); false: disable it. */
  enable: boolean;
  /** Also plan the network changes IPv6 egress needs (EIGW, ::/0 routes, security-group egress). Enable only. */
  withNetwork?: boolean;
  /** IPv6 egress to add to security groups: mirror the IPv4 egress to 0.0.0.0/0 ('all', default) or TCP 443 only. */
  sgEgress?: SgEgressVariant;
  /** The separate confirmation to repoint an existing ::/0 route (to a NAT or internet gateway) at the EIGW. */
  replaceExistingIpv6Routes?: boolean;
  /** With withNetwork: give IPv4-only subnets (and their VPC) IPv6 CIDR blocks first, instead of refusing. */
  addIpv6Cidrs?: boolean;
}

/** How long to wait and back off; tests shorten these. */
export interface Timing {
  /** Longest wait for a function update in progress to finish. */
  maxWaitSeconds: number;
  /** First poll delay of the update waiter. */
  waiterMinDelaySeconds: number;
  /** First delay of the backoff on throttling and server errors the SDK's own retries did not absorb. */
  backoffBaseMs: number;
  /** Attempts per call on top of the SDK's retries. */
  backoffAttempts: number;
}

export const DEFAULT_TIMING: Timing = { maxWaitSeconds: 300, waiterMinDelaySeconds: 1, backoffBaseMs: 500, backoffAttempts: 6 };

export interface PlanTarget {
  clients: AwsClients;
  /** Names or ARNs of functions in the clients' region. */
  functionNames: string[];
  timing?: Partial<Timing>;
  signal?: AbortSignal;
  /** USD per GB of NAT data processing, to price the NAT gateways the functions use. Default 0.045. */
  natPricePerGb?: number;
}

/** A gateway a route will point at: one that exists, or the one an earlier step creates in the VPC. */
export type GatewayRef = { existing: string } | { createdInVpc: string };

export interface CreateEigwStep {
  kind: 'create-eigw';
  vpcId: string;
  /** Makes a retried create return the same gateway instead of a second one. */
  clientToken: string;
  functions: string[];
}

export interface CreateRouteStep {
  kind: 'create-route';
  routeTableId: string;
  vpcId: string;
  eigw: GatewayRef;
  /** The VPC's main table: every subnet without its own table uses it. */
  mainTable: boolean;
  /** Subnets using the table that none of the planned functions is attached to. */
  otherSubnets: string[];
  rule: RuleId;
  functions: string[];
}

export interface ReplaceRouteStep extends Omit<CreateRouteStep, 'kind'> {
  kind: 'replace-route';
  /** The gateway ::/0 goes to now; the step only runs while it still does. */
  currentTarget: string;
}

export interface AuthorizeEgressStep {
  kind: 'authorize-egress';
  groupId: string;
  groupName: string;
  vpcId: string;
  permissions: IpPermission[];
  variant: SgEgressVariant;
  functions: string[];
}

export interface UpdateFunctionStep {
  kind: 'update-function';
  functionName: string;
  functionArn?: string;
  /** Re-sent exactly as read: UpdateFunctionConfiguration replaces the whole VpcConfig. */
  subnetIds: string[];
  securityGroupIds: string[];
  vpcId?: string;
  ipv6: boolean;
  previousIpv6: boolean;
  /** The revision read while planning: a write against any other revision fails instead of overwriting. */
  revisionId: string;
}

export interface AssociateVpcCidrStep {
  kind: 'associate-vpc-cidr';
  vpcId: string;
  functions: string[];
}

export interface AssociateSubnetCidrStep {
  kind: 'associate-subnet-cidr';
  subnetId: string;
  vpcId: string;
  /** The /64 chosen while planning; absent when this plan adds the VPC's block: then the first free /64 of it. */
  ipv6CidrBlock?: string;
  functions: string[];
}

export type NetworkStep = AssociateVpcCidrStep | AssociateSubnetCidrStep | CreateEigwStep | CreateRouteStep | ReplaceRouteStep | AuthorizeEgressStep;
export type Step = NetworkStep | UpdateFunctionStep;

export type FunctionStatus = 'ready' | 'nothing-to-do' | 'refused';

export interface FunctionPlan {
  name: string;
  arn?: string;
  status: FunctionStatus;
  /** Why it is refused or why nothing is to be done. */
  reasons: string[];
  /** Network gaps that do not block enabling but block IPv6 egress, and what was not planned. */
  warnings: string[];
  /** What the change leaves as it is: published versions and aliases keep their own setting. */
  notes?: string[];
}

export type PlanStatus = 'nothing-to-do' | 'refused' | 'ready';

export interface Plan {
  /** 'ready' when there is at least one step; 'refused' when nothing can be done and some function was refused. */
  status: PlanStatus;
  target: ClientTarget;
  options: EnableOptions;
  functions: FunctionPlan[];
  /** Network changes first (additive), then the function updates. */
  steps: Step[];
  /** Route replacements left out because the separate confirmation was not given. */
  withheld: ReplaceRouteStep[];
  /** Enabling: the NAT gateways the planned functions egress through, what they processed, and the price. */
  nat?: NatBill & { pricePerGb: number };
}

export interface DoneStep {
  step: Step;
  /** What the write produced or found, e.g. the new gateway id, or 'already present'. */
  result: string;
}

export type ApplyOutcome = 'applied' | 'changed-meanwhile' | 'failed';

/** What became of one function's update: a row of the result table. */
export interface FunctionOutcome {
  name: string;
  region: string;
  /** Ipv6AllowedForDualStack before the run. */
  before: boolean;
  /** The flag after the run: the planned value when verified, else unchanged. */
  after: boolean;
  /** 'updated': written and read back; the others left the function as it was. */
  state: 'updated' | 'failed' | 'cancelled' | 'changed-meanwhile';
  /** Why it failed (what to do next), for the states other than 'updated'. */
  reason?: string;
}

export interface ApplyResult {
  outcome: ApplyOutcome;
  /** Steps done (or found already done), in order. */
  done: DoneStep[];
  /** What happened, what is already done, and what to do next. */
  message: string;
  /** Functions changed by someone else since planning; `replan` is their new plan, to confirm again. */
  changedMeanwhile: string[];
  replan?: Plan;
  /** One outcome per function update of the plan, in the plan's order (empty when a network step failed first). */
  functions: FunctionOutcome[];
}

export interface ApplyProgress {
  step: Step;
  index: number;
  total: number;
  state: 'started' | 'done' | 'failed';
}

export interface ApplyContext {
  clients: AwsClients;
  /** One line per write: operation, resource ids, result. Never credentials. */
  log: (line: string) => void;
  signal?: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
  /** Called as each function's update ends (updated, failed, cancelled or changed meanwhile). */
  onFunctionDone?: (outcome: FunctionOutcome) => void;
  timing?: Partial<Timing>;
  /** Function updates run at most this many at a time. Default 4. */
  concurrency?: number;
}
