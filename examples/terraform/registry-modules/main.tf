# The community registry modules: terraform-aws-modules/vpc builds a dual-stack VPC (enable_ipv6;
# create_egress_only_igw defaults to true, so private route tables get ::/0 -> EIGW), and
# terraform-aws-modules/lambda places a function in its private subnets without
# ipv6_allowed_for_dual_stack: IPV6L001 on the module "image_resizer" block.
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

  enable_ipv6                                    = true
  public_subnet_assign_ipv6_address_on_creation  = true
  private_subnet_assign_ipv6_address_on_creation = true
  public_subnet_ipv6_prefixes                    = [0, 1]
  private_subnet_ipv6_prefixes                   = [10, 11]
}

resource "aws_security_group" "image_resizer" {
  name   = "image-resizer"
  vpc_id = module.vpc.vpc_id

  egress {
    description      = "HTTPS out"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
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
