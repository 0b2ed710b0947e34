# CDK's default VPC (the Python twin of ipv4-only-stack.ts): IPv4-only, two AZs, one NAT gateway.
# Both functions reach the internet only over IPv4 (IPV6M001); "Migrate VPC Vpc to dual-stack"
# sets ip_protocol, IPv6 egress and the flags.
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct


class Ipv4OnlyStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)

        lambda_.Function(
            self,
            "OrdersApi",
            function_name="orders-api",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="api.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return {}"),
            vpc=vpc,
        )

        billing_group = ec2.SecurityGroup(self, "BillingGroup", vpc=vpc, allow_all_outbound=True)

        lambda_.Function(
            self,
            "BillingWorker",
            function_name="billing-worker",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="worker.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return {}"),
            vpc=vpc,
            security_groups=[billing_group],
        )
