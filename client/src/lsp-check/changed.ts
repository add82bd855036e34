import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { UsageError } from './args';

/** Lines (1-based) changed in a file, or 'all' for a file git does not track. */
export type ChangedLines = Set<number> | 'all';

function git(args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new UsageError(`--changed-since: cannot run git: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** `"a\tb"` paths (core.quotePath) back to their bytes, for the common escapes. */
function unquote(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses `git diff --unified=0` output: repo-relative path -> added or modified lines. */
export function parseUnifiedZero(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = unquote(line.slice(4).replace(/\t$/, ''));
      if (target === '/dev/null') current = undefined;
      else {
        const path = target.replace(/^"?b\//, '');
        current = out.get(path) ?? new Set<number>();
        out.set(path, current);
      }
      continue;
    }
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m && current) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      for (let l = start; l < start + count; l++) current.add(l);
    }
  }
  return out;
}

/**
 * What changed since `rev` in the work tree (committed, staged or not): one `git diff` for
 * the repository. Files git does not track (new, ignored, outside the repository) count as
 * changed everywhere.
 */
export function changedSince(rev: string): (absolute: string) => ChangedLines {
  const cwd = process.cwd();
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new UsageError(`--changed-since: ${cwd} is not in a git repository`);
  const root = top.stdout.trim();
  if (rev.startsWith('-') || !git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], root).ok) {
    throw new UsageError(`--changed-since: unknown git revision '${rev}'`);
  }
  const diff = git(['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-renames', '--unified=0', rev, '--'], root);
  if (!diff.ok) throw new UsageError(`--changed-since: git diff ${rev} failed: ${diff.stderr.trim()}`);
  const changed = parseUnifiedZero(diff.stdout);
  const tracked = git(['ls-files', '-z'], root);
  if (!tracked.ok) throw new UsageError(`--changed-since: git ls-files failed: ${tracked.stderr.trim()}`);
  const trackedSet = new Set(tracked.stdout.split('\0').filter((s) => s !== ''));
  const realRoot = realpathSync(root);
  return (absolute: string): ChangedLines => {
    let real = absolute;
    try {
      real = realpathSync(absolute);
    } catch {
      // keep as given
    }
    const rel = relative(realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return 'all';
    const key = rel.split(sep).join('/');
    if (!trackedSet.has(key)) return 'all';
    return changed.get(key) ?? new Set<number>();
  };
}
