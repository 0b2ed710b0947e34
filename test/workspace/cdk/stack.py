from aws_cdk import Stack, aws_ec2 as ec2, aws_lambda as _lambda
from constructs import Construct


class ApiStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        vpc = ec2.Vpc(self, "Vpc")
        _lambda.Function(
            self,
            "Api",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=_lambda.Code.from_inline("def handler(event, context): return 'ok'"),
            vpc=vpc,
            ipv6_allowed_for_dual_stack=True,
        )
