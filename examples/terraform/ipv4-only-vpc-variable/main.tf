variable "vpc_id" {
  type        = string
  description = "The shared VPC"
}

variable "nat_gateway_id" {
  type = string
}

locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_subnet" "private" {
  count = length(local.azs)

  vpc_id            = var.vpc_id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index + 20)
}

resource "aws_route_table" "private" {
  vpc_id = var.vpc_id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = var.nat_gateway_id
  }
}

resource "aws_route_table_association" "private" {
  count = length(local.azs)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "lambda" {
  name   = "orders-api"
  vpc_id = var.vpc_id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::123456789012:role/orders-api"
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  filename      = "orders-api.zip"

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.lambda.id]
  }
}
