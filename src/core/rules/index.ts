/** The rule catalogue: one entry per public rule id, in the order of the documentation. */
import type { RuleId, Severity } from '../model/findings';
import { IPV6L001 } from './IPV6L001';
import { IPV6L002 } from './IPV6L002';
import { IPV6L003 } from './IPV6L003';
import { IPV6L004 } from './IPV6L004';
import { IPV6M001 } from './IPV6M001';
import { IPV6N001 } from './IPV6N001';
import { IPV6N002 } from './IPV6N002';
import { IPV6N003 } from './IPV6N003';
import { IPV6N004 } from './IPV6N004';
import { IPV6S001 } from './IPV6S001';
import type { RuleDefinition } from './rule';
import { docsUrl } from './links';

export type { RuleContext, RuleDefinition } from './rule';

export interface CatalogueEntry {
  id: RuleId;
  defaultSeverity: Severity;
  title: string;
  description: string;
  docsUrl: string;
}

export const rules: readonly RuleDefinition[] = [IPV6L001, IPV6L002, IPV6L003, IPV6L004, IPV6N001, IPV6N002, IPV6N003, IPV6S001, IPV6N004, IPV6M001];

export const catalogue: readonly CatalogueEntry[] = rules.map(({ id, defaultSeverity, title, description }) => ({
  id,
  defaultSeverity,
  title,
  description,
  docsUrl: docsUrl(id),
}));

const entries = new Map(catalogue.map((entry) => [entry.id, entry]));

export function catalogueEntry(id: RuleId): CatalogueEntry {
  return entries.get(id)!;
}

export function isRuleId(text: string): text is RuleId {
  return entries.has(text as RuleId);
}
