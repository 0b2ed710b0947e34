// The corrected version of nat-only-stack.ts. With ipProtocol DUAL_STACK, CDK gives every subnet
// an IPv6 block and private subnets a ::/0 route to an egress-only internet gateway; each
// function allows IPv6, and allowAllIpv6Outbound opens IPv6 egress on the security group CDK
// creates for it. No findings.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export class DualStackStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const legacyVpc = new ec2.Vpc(this, 'LegacyVpc', {
      maxAzs: 2,
      natGateways: 1,
      ipProtocol: ec2.IpProtocol.DUAL_STACK,
    });

    new lambda.Function(this, 'PaymentsWorker', {
      functionName: 'payments-worker',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/payments-worker'),
      timeout: Duration.seconds(30),
      vpc: legacyVpc,
      ipv6AllowedForDualStack: true,
      allowAllIpv6Outbound: true,
    });

    const appVpc = new ec2.Vpc(this, 'AppVpc', {
      maxAzs: 2,
      natGateways: 1,
      ipProtocol: ec2.IpProtocol.DUAL_STACK,
    });

    // Your own security group instead of CDK's: declare its IPv6 egress yourself.
    const ordersApiSecurityGroup = new ec2.SecurityGroup(this, 'OrdersApiSecurityGroup', {
      vpc: appVpc,
      allowAllOutbound: false,
    });
    ordersApiSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS out');
    ordersApiSecurityGroup.addEgressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443), 'HTTPS out');

    new lambda.Function(this, 'OrdersApi', {
      functionName: 'orders-api',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/orders-api'),
      vpc: appVpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [ordersApiSecurityGroup],
      ipv6AllowedForDualStack: true,
    });
  }
}
