/** The outcome of an enable/disable run in words: a progress line per function, a table and a summary line. */
import type { FunctionOutcome } from './types';

const STATE_WORDS: Record<FunctionOutcome['state'], (outcome: FunctionOutcome) => string> = {
  updated: (outcome) => (outcome.after ? 'enabled' : 'disabled'),
  failed: () => 'failed',
  cancelled: () => 'cancelled',
  'changed-meanwhile': () => 'changed meanwhile, not updated',
};

export function outcomeWords(outcome: FunctionOutcome): string {
  return STATE_WORDS[outcome.state](outcome);
}

/** `[37/72] orders-api … enabled`: one line as each function's update ends. */
export function progressLine(position: number, total: number, outcome: FunctionOutcome): string {
  const width = String(total).length;
  return `[${String(position).padStart(width)}/${total}] ${outcome.name} … ${outcomeWords(outcome)}${outcome.state === 'failed' && outcome.reason ? `: ${outcome.reason}` : ''}`;
}

function flag(value: boolean): string {
  return value ? 'on' : 'off';
}

/** Function, region, flag before → after, verified; failures' reasons under the table. */
export function formatResultTable(outcomes: FunctionOutcome[]): string {
  const rows = outcomes.map((o) => [o.name, o.region, `${flag(o.before)} → ${flag(o.after)}`, o.state === 'updated' ? 'yes' : `no (${outcomeWords(o)})`]);
  const header = ['Function', 'Region', 'IPv6 before → after', 'Verified'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const reasons = outcomes.filter((o) => o.state !== 'updated' && o.reason).map((o) => `- ${o.name}: ${o.reason}`);
  return [...lines, ...(reasons.length > 0 ? ['', ...reasons] : [])].join('\n');
}

/** `72 functions: 70 enabled, 1 failed, 1 cancelled (2 regions).` */
export function resultSummary(outcomes: FunctionOutcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcomeWords(outcome), (counts.get(outcomeWords(outcome)) ?? 0) + 1);
  const order = ['enabled', 'disabled', 'failed', 'cancelled', 'changed meanwhile, not updated'];
  const parts = order.filter((words) => counts.has(words)).map((words) => `${counts.get(words)} ${words}`);
  const regions = new Set(outcomes.map((o) => o.region)).size;
  return `${outcomes.length} ${outcomes.length === 1 ? 'function' : 'functions'}: ${parts.join(', ') || 'nothing done'} (${regions} ${regions === 1 ? 'region' : 'regions'}).`;
}
