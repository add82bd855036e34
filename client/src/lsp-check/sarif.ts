import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../../shared/src/findings';
import { readFileSync } from 'node:fs';
import { ruleDocsPath, ruleDocsUrl, type RuleMeta } from '../../../server/src/rules/meta';

function rulePage(id: string): string {
  try {
    return readFileSync(ruleDocsPath(id), 'utf8');
  } catch {
    return id;
  }
}
import type { Notice, Reported } from './results';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

function sarifUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/**
 * A fingerprint that survives unrelated edits: rule + function + the flagged line's text
 * with whitespace normalised, plus an ordinal among identical keys in the same file. Line
 * numbers are deliberately not part of it.
 */
function fingerprints(reported: readonly Reported[]): string[] {
  const seen = new Map<string, number>();
  return reported.map((r) => {
    const f = r.finding;
    const text = (r.lines[f.range.start.line] ?? '').trim().replace(/\s+/g, ' ');
    const key = `${f.rule}\0${f.function}\0${text}`;
    const ordinal = seen.get(`${r.file}\0${key}`) ?? 0;
    seen.set(`${r.file}\0${key}`, ordinal + 1);
    return createHash('sha256').update(`${key}\0${ordinal}`).digest('hex').slice(0, 32);
  });
}

export function formatSarif(reported: readonly Reported[], rulesRun: readonly RuleMeta[], version: string, notices: readonly Notice[] = []): string {
  const ruleIndex = new Map(rulesRun.map((r, i) => [r.id, i]));
  const prints = fingerprints(reported);
  const region = (range: Reported['finding']['range']) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const location = (file: string, range: Reported['finding']['range']) => ({
    physicalLocation: { artifactLocation: { uri: sarifUri(file), uriBaseId: 'SRCROOT' }, region: region(range) },
  });
  const results = reported.map((r, i) => {
    const f = r.finding;
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(r.file, f.range)],
      partialFingerprints: { 'dmaLint/v1': prints[i] },
      properties: { function: f.function, platforms: [...f.platforms] },
    };
    const idx = ruleIndex.get(f.rule);
    if (idx !== undefined) result.ruleIndex = idx;
    if (f.trace && f.trace.length > 0) {
      // the proof as a code flow: one thread per platform, one location per step
      const platforms = [...new Set(f.trace.flatMap((t) => t.places.map((p) => p.platform)))];
      result.codeFlows = [
        {
          threadFlows: platforms.map((p) => ({
            message: { text: p },
            locations: (f.trace ?? []).map((t) => {
              const place = t.places.find((x) => x.platform === p);
              const where = { start: { line: t.line - 1, character: 0 }, end: { line: t.line - 1, character: 0 } };
              return {
                location: {
                  ...location(r.file, where),
                  message: { text: `${t.event}: cache ${place?.cache ?? '-'}, RAM ${place?.ram ?? '-'}, bounce ${place?.bounce ?? '-'}` },
                },
              };
            }),
          })),
        },
      ];
    }
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((rel, k) => ({ id: k + 1, ...location(r.relatedFiles[k], rel.range), message: { text: rel.message } }));
    }
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dma-lint',
            version,
            rules: rulesRun.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              // the page travels inside the log: code-scanning UIs show it without a web host
              help: { text: r.description, markdown: rulePage(r.id) },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(process.cwd() + '/').href } },
        // files not analysed (or only in part) are the tool's own notifications, not results
        invocations: [
          {
            executionSuccessful: !notices.some((n) => n.kind === 'failed'),
            toolExecutionNotifications: notices.map((n) => ({
              level: n.kind === 'failed' ? 'error' : n.kind === 'skipped' ? 'warning' : 'note',
              message: { text: `${n.kind === 'failed' ? 'analysis failed' : n.kind === 'skipped' ? 'not analysed' : 'partly analysed'}: ${n.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(n.file), uriBaseId: 'SRCROOT' } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
