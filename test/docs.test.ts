import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES, ruleDocsPath } from '../server/src/rules/meta';
import { ALL_RULES } from '../server/src/rules';

describe('rule catalogue and documentation', () => {
  it('every rule has a documentation page that names it', () => {
    for (const r of RULES) {
      const page = ruleDocsPath(r.id);
      expect(existsSync(page), page).toBe(true);
      expect(readFileSync(page, 'utf8')).toContain(r.id);
    }
  });

  it('implemented in the catalogue means a rule module exists, and the reverse', () => {
    const modules = new Set(ALL_RULES.map((r) => r.id));
    for (const r of RULES) expect(modules.has(r.id), r.id).toBe(r.implemented);
  });

  it('pages of rules not implemented say so', () => {
    for (const r of RULES.filter((x) => !x.implemented)) {
      expect(readFileSync(ruleDocsPath(r.id), 'utf8')).toMatch(/not implemented yet/);
    }
  });
});
