import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One row of docs/rules/README.md, the catalogue shipped with the extension. */
export interface RuleRow {
  id: string;
  severity: string;
  description: string;
  implemented: boolean;
}

/** `docs/rules/<id with / replaced by ->.md` below the extension (or repository) root. */
export function rulePagePath(root: string, id: string): string {
  return join(root, 'docs', 'rules', `${id.replace(/\//g, '-')}.md`);
}

/** Rows of the markdown table `| [id](page.md) | severity | what | yes/no |`. */
export function parseRuleTable(markdown: string): RuleRow[] {
  const rows: RuleRow[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^\|\s*\[([^\]]+)\]\([^)]*\)\s*\|\s*([a-z]+)\s*\|\s*(.*?)\s*\|\s*(yes|no)\s*\|\s*$/.exec(line);
    if (m) rows.push({ id: m[1], severity: m[2], description: m[3], implemented: m[4] === 'yes' });
  }
  return rows;
}

export function readRuleTable(root: string): RuleRow[] {
  try {
    return parseRuleTable(readFileSync(join(root, 'docs', 'rules', 'README.md'), 'utf8'));
  } catch {
    return [];
  }
}
