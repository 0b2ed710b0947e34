# Two VPCs, two mistakes (the Python twin of nat-only-stack.ts):
# - LegacyVpc is CDK's default: IPv4-only, private subnets reach the internet through a NAT
#   gateway. PaymentsWorker allows IPv6 anyway: IPV6L002 (CloudFormation rejects the update),
#   and IPV6S001 because the security group CDK creates for it lets no IPv6 out.
# - AppVpc is dual-stack (CDK adds the egress-only internet gateway and ::/0 routes for you),
#   but OrdersApi does not allow IPv6: IPV6L001. Its quick fix also sets allow_all_ipv6_outbound.
from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct


class NatOnlyStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        legacy_vpc = ec2.Vpc(self, "LegacyVpc", max_azs=2, nat_gateways=1)

        lambda_.Function(
            self,
            "PaymentsWorker",
            function_name="payments-worker",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="worker.handler",
            code=lambda_.Code.from_asset("lambda/payments_worker"),
            timeout=Duration.seconds(30),
            vpc=legacy_vpc,
            ipv6_allowed_for_dual_stack=True,
        )

        app_vpc = ec2.Vpc(
            self,
            "AppVpc",
            max_azs=2,
            nat_gateways=1,
            ip_protocol=ec2.IpProtocol.DUAL_STACK,
        )

        lambda_.Function(
            self,
            "OrdersApi",
            function_name="orders-api",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="api.handler",
            code=lambda_.Code.from_asset("lambda/orders_api"),
            vpc=app_vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        )
