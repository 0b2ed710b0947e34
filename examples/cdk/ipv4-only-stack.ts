// CDK's default VPC: IPv4-only, two AZs, public subnets with the internet gateway and one NAT
// gateway, private subnets whose 0.0.0.0/0 goes to it. Both functions reach the internet only over
// IPv4 (IPV6M001). "Migrate VPC Vpc to dual-stack" sets ipProtocol (CDK then adds the IPv6 block,
// the subnets' /64s, the egress-only internet gateway and the ::/0 routes), IPv6 egress and the flags.
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export class Ipv4OnlyStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });

    new lambda.Function(this, 'OrdersApi', {
      functionName: 'orders-api',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      vpc,
    });

    const billingGroup = new ec2.SecurityGroup(this, 'BillingGroup', { vpc, allowAllOutbound: true });

    new lambda.Function(this, 'BillingWorker', {
      functionName: 'billing-worker',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      vpc,
      securityGroups: [billingGroup],
    });
  }
}
