// aws-cdk-lib and constructs are not installed in this demo workspace; these stand-ins keep the
// editor from reporting the stacks' imports as missing. A real CDK app installs both packages.
declare module 'constructs' {
  export class Construct {}
}

declare module 'aws-cdk-lib' {
  import type { Construct } from 'constructs';
  export interface StackProps {
    readonly env?: { readonly account?: string; readonly region?: string };
  }
  export class Stack extends Construct {
    constructor(scope: Construct, id: string, props?: StackProps);
  }
  export const Duration: { seconds(amount: number): unknown };
}

declare module 'aws-cdk-lib/*';
