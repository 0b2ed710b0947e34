# terraform-aws-modules/vpc without IPv6: private subnets reach the internet through one NAT
# gateway, and terraform-aws-modules/lambda places a function in them (IPV6M001). The migration
# sets enable_ipv6, gives the private subnets IPv6 prefixes (the module then adds the egress-only
# internet gateway and the ::/0 routes), IPv6 egress on the group, and the flag on the function.
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = "media"
  cidr = "10.50.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b"]

  public_subnets  = ["10.50.0.0/24", "10.50.1.0/24"]
  private_subnets = ["10.50.10.0/24", "10.50.11.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true
}

resource "aws_security_group" "image_resizer" {
  name   = "image-resizer"
  vpc_id = module.vpc.vpc_id

  egress {
    description = "HTTPS out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "image_resizer" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "image-resizer"
  handler       = "resize.handler"
  runtime       = "python3.13"
  source_path   = "src/image_resizer"

  vpc_subnet_ids         = module.vpc.private_subnets
  vpc_security_group_ids = [aws_security_group.image_resizer.id]
  attach_network_policy  = true
}
