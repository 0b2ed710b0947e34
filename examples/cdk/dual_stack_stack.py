# The corrected version of nat_only_stack.py (the Python twin of dual-stack-stack.ts). With
# ip_protocol DUAL_STACK, CDK gives every subnet an IPv6 block and private subnets a ::/0 route to
# an egress-only internet gateway; each function allows IPv6, and allow_all_ipv6_outbound opens
# IPv6 egress on the security group CDK creates for it. No findings.
from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct


class DualStackStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        legacy_vpc = ec2.Vpc(
            self,
            "LegacyVpc",
            max_azs=2,
            nat_gateways=1,
            ip_protocol=ec2.IpProtocol.DUAL_STACK,
        )

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
            allow_all_ipv6_outbound=True,
        )

        app_vpc = ec2.Vpc(
            self,
            "AppVpc",
            max_azs=2,
            nat_gateways=1,
            ip_protocol=ec2.IpProtocol.DUAL_STACK,
        )

        # Your own security group instead of CDK's: declare its IPv6 egress yourself.
        orders_api_security_group = ec2.SecurityGroup(
            self, "OrdersApiSecurityGroup", vpc=app_vpc, allow_all_outbound=False
        )
        orders_api_security_group.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS out")
        orders_api_security_group.add_egress_rule(ec2.Peer.any_ipv6(), ec2.Port.tcp(443), "HTTPS out")

        lambda_.Function(
            self,
            "OrdersApi",
            function_name="orders-api",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="api.handler",
            code=lambda_.Code.from_asset("lambda/orders_api"),
            vpc=app_vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_groups=[orders_api_security_group],
            ipv6_allowed_for_dual_stack=True,
        )
