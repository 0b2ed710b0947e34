# Orders API on a dual-stack VPC whose private subnets reach the internet only through a NAT
# gateway: IPV6N002 on the private route table, IPV6L001 on the function (IPV6S001 once the flag
# is on, because the security group lets only IPv4 out). The folder is analysed as one module.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.23" # ipv6_allowed_for_dual_stack needs 5.23 or later
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
  enable_dns_hostnames             = true

  tags = { Name = "orders" }
}
