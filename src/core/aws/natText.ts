/** NAT gateway data processing in words and dollars; no SDK here, so the tree can use it without loading AWS code. */

/** us-east-1 list price of NAT gateway data processing, USD per GB (https://aws.amazon.com/vpc/pricing/). */
export const DEFAULT_NAT_PRICE_PER_GB = 0.045;
export const NAT_WINDOW_DAYS = 30;
/** AWS bills data per GB of 2^30 bytes. */
const BYTES_PER_GB = 2 ** 30;

export function gigabytes(bytes: number): number {
  return bytes / BYTES_PER_GB;
}

export function dataProcessingCost(bytes: number, pricePerGb: number): number {
  return gigabytes(bytes) * pricePerGb;
}

/** `412.3 GB in 30 days ≈ $18.55 at $0.045/GB` */
export function natUsageText(usage: { bytes?: number }, days: number, pricePerGb: number): string {
  if (usage.bytes === undefined) return 'bytes processed unknown';
  const gb = gigabytes(usage.bytes);
  return `${gb < 10 ? gb.toFixed(2) : gb.toFixed(1)} GB in ${days} days ≈ $${dataProcessingCost(usage.bytes, pricePerGb).toFixed(2)} at $${pricePerGb}/GB`;
}
