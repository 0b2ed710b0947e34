// Two VPCs, two mistakes:
// - LegacyVpc is CDK's default: IPv4-only, private subnets reach the internet through a NAT
//   gateway. PaymentsWorker allows IPv6 anyway: IPV6L002 (CloudFormation rejects the update),
//   and IPV6S001 because the security group CDK creates for it lets no IPv6 out.
// - AppVpc is dual-stack (CDK adds the egress-only internet gateway and ::/0 routes for you),
//   but OrdersApi does not allow IPv6: IPV6L001. Its quick fix also sets allowAllIpv6Outbound.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export class NatOnlyStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const legacyVpc = new ec2.Vpc(this, 'LegacyVpc', { maxAzs: 2, natGateways: 1 });

    new lambda.Function(this, 'PaymentsWorker', {
      functionName: 'payments-worker',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/payments-worker'),
      timeout: Duration.seconds(30),
      vpc: legacyVpc,
      ipv6AllowedForDualStack: true,
    });

    const appVpc = new ec2.Vpc(this, 'AppVpc', {
      maxAzs: 2,
      natGateways: 1,
      ipProtocol: ec2.IpProtocol.DUAL_STACK,
    });

    new lambda.Function(this, 'OrdersApi', {
      functionName: 'orders-api',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/orders-api'),
      vpc: appVpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
  }
}
