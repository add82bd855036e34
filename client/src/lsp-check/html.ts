import type { Finding, Platform, TraceStep } from '../../../shared/src/findings';
import { ruleDocsUrl } from '../../../server/src/rules/meta';
import type { Reported } from './results';

/**
 * `lsp-check --format html` and the VS Code "Explain finding" panel: one self-contained
 * page (inline CSS, no script, no external resource) with every finding and, for the
 * memory-model findings, the trace drawn as a timeline per platform: one lane per place
 * (CPU, CPU cache, RAM, bounce slot, device), one column per step, each cell the version
 * the place holds. Cells where a read misses the newest write, or where the newest write
 * is lost, are highlighted.
 */
export interface HtmlOptions {
  /** Link target of a rule id (default: its page in docs/rules, a file: URL). */
  ruleHref?: (rule: string) => string;
  /** With a nonce the page's CSP allows only the style element carrying it (webviews). */
  nonce?: string;
  title?: string;
}

const VERDICT_CORRUPTS = 'corrupts';
const VERDICT_CORRECT = 'correct';

export function renderHtml(reported: readonly Reported[], version: string, options: HtmlOptions = {}): string {
  const href = options.ruleHref ?? ruleDocsUrl;
  const files = new Set(reported.map((r) => r.file)).size;
  const title = options.title ?? 'DMA Lint findings';
  const styleSrc = options.nonce ? `'nonce-${options.nonce}'` : "'unsafe-inline'";
  const nonceAttr = options.nonce ? ` nonce="${esc(options.nonce)}"` : '';
  const body =
    reported.length === 0 ? '<p class="none">No findings.</p>' : reported.map((r, i) => renderFinding(r, i + 1, href)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${styleSrc}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style${nonceAttr}>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="summary">dma-lint ${esc(version)} · ${plural(reported.length, 'finding')} in ${plural(files, 'file')}</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

function renderFinding(r: Reported, n: number, href: (rule: string) => string): string {
  const f = r.finding;
  const s = f.range.start;
  const fn = f.function ? ` in <code>${esc(f.function)}()</code>` : '';
  const code = sourceLine(r, s.line + 1);
  const related = f.related.length
    ? `<ul class="related">${f.related
        .map((rel, i) => `<li><span class="loc">${esc(r.relatedFiles[i] ?? r.file)}:${rel.range.start.line + 1}</span> ${esc(rel.message)}</li>`)
        .join('')}</ul>`
    : '';
  const trace = f.trace && f.trace.length > 0 ? renderTrace(r, f.trace) : '';
  return `<section class="finding sev-${esc(f.severity)}" id="finding-${n}">
<h2><span class="sev">${esc(f.severity)}</span> <a class="rule" href="${esc(href(f.rule))}">${esc(f.rule)}</a></h2>
<p class="loc">${esc(r.file)}:${s.line + 1}:${s.character + 1}${fn}</p>
${code === undefined ? '' : `<pre class="src"><span class="ln">${s.line + 1}</span>${esc(code)}</pre>\n`}<p class="msg">${esc(f.message)}</p>
${related}${trace}
</section>`;
}

function sourceLine(r: Reported, line: number): string | undefined {
  const text = r.lines[line - 1];
  return text === undefined ? undefined : text.replace(/\t/g, '    ').trimEnd();
}

/** A version as the trace spells it: `old data`, `CPU write #2`, `device write #1`, `-`. */
interface Version {
  text: string;
  id: number;
  kind: 'old' | 'cpu' | 'device' | 'none' | 'other';
  dirty: boolean;
}

function parseVersion(raw: string): Version {
  const dirty = / \(dirty\)$/.test(raw);
  const text = raw.replace(/ \(dirty\)$/, '');
  if (text === '-' || text === '') return { text: '—', id: -1, kind: 'none', dirty };
  if (text === 'old data') return { text, id: 0, kind: 'old', dirty };
  const m = /^(CPU|device) write #(\d+)$/.exec(text);
  if (m) return { text, id: Number(m[2]), kind: m[1] === 'CPU' ? 'cpu' : 'device', dirty };
  return { text, id: -1, kind: 'other', dirty };
}

type Lane = 'cpu' | 'cache' | 'ram' | 'bounce' | 'device';
const LANES: readonly { lane: Lane; label: string }[] = [
  { lane: 'cpu', label: 'CPU' },
  { lane: 'cache', label: 'CPU cache' },
  { lane: 'ram', label: 'RAM' },
  { lane: 'bounce', label: 'bounce slot' },
  { lane: 'device', label: 'device' },
];

interface Cell {
  version: Version;
  /** What the actor does at this step ("reads", "writes"), for the CPU and device lanes. */
  action?: string;
  /** Why the cell is highlighted. */
  bad?: string;
}

/** A column of the timeline: a trace step, or the finding's own site when the trace stops before it. */
interface Column {
  line: number;
  event: string;
  places: TraceStep['places'];
  cpu?: 'read' | 'write';
  device?: 'read' | 'write';
  synthetic: boolean;
}

function columns(f: Finding, trace: readonly TraceStep[]): Column[] {
  const cols: Column[] = trace.map((t) => ({
    line: t.line,
    event: t.event,
    places: t.places,
    cpu: /^CPU reads\b/.test(t.event) ? 'read' : /^CPU writes\b/.test(t.event) ? 'write' : undefined,
    device: /^the device writes\b/.test(t.event) ? 'write' : undefined,
    synthetic: false,
  }));
  const last = trace[trace.length - 1];
  const at = f.range.start.line + 1;
  if (at !== last.line) {
    // the trace ends with the last state change; the finding is where that state is used
    const kick = f.rule === 'dma/missing-sync-for-device';
    cols.push({
      line: at,
      event: kick ? 'the device is started: it reads the buffer' : 'the finding',
      places: last.places,
      device: kick ? 'read' : undefined,
      synthetic: true,
    });
  }
  return cols;
}

function renderTrace(r: Reported, trace: readonly TraceStep[]): string {
  const f = r.finding;
  const cols = columns(f, trace);
  const platforms: Platform[] = [];
  for (const t of trace) for (const p of t.places) if (!platforms.includes(p.platform)) platforms.push(p.platform);
  // the newest write in program order after each column, over every platform
  const newest: number[] = [];
  let max = 0;
  for (const c of cols) {
    for (const p of c.places) for (const v of [p.cache, p.ram, p.bounce]) max = Math.max(max, parseVersion(v).id);
    newest.push(max);
  }
  const head = cols
    .map((c, i) => {
      const code = sourceLine(r, c.line);
      const cls = i === cols.length - 1 ? ' class="at"' : '';
      return `<th scope="col"${cls}><span class="step">${i + 1}</span> <span class="line">line ${c.line}</span><span class="event">${esc(c.event)}</span>${
        code === undefined ? '' : `<code class="code">${esc(code.trim())}</code>`
      }</th>`;
    })
    .join('');
  const tables = platforms.map((p) => {
    const corrupts = f.platforms.includes(p);
    const grid = platformCells(p, cols, newest);
    const rows = LANES.filter((l) => l.lane !== 'bounce' || grid.bounces)
      .map((l) => `<tr class="lane-${l.lane}"><th scope="row">${l.label}</th>${grid.cells.map((c, i) => renderCell(c[l.lane], i === cols.length - 1, l.lane === 'cpu' || l.lane === 'device')).join('')}</tr>`)
      .join('\n');
    const verdict = corrupts ? VERDICT_CORRUPTS : VERDICT_CORRECT;
    return `<div class="platform ${verdict}">
<table class="timeline">
<caption><span class="pname">${esc(p)}</span> <span class="verdict">${verdict}</span></caption>
<thead><tr><th scope="col" class="corner">step</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`;
  });
  return `<div class="trace">
<h3>How it goes wrong, step by step</h3>
<p class="legend"><span class="v v-old">old data</span> <span class="v v-cpu">CPU write #n</span> <span class="v v-device">device write #n</span> <span class="v v-none">—</span> not present · CPU and device lanes: what each would see, in bold where it acts · <span class="v bad">highlighted</span>: a read that misses the newest write, or the newest write lost · the last column is where the finding is</p>
${tables.join('\n')}
</div>`;
}

function platformCells(p: Platform, cols: readonly Column[], newest: readonly number[]): { cells: Record<Lane, Cell>[]; bounces: boolean } {
  const at = cols.map((c) => c.places.find((x) => x.platform === p));
  const bounces = at.some((x) => x !== undefined && x.bounce !== '-');
  const cells: Record<Lane, Cell>[] = [];
  let prev: { cache: Version; ram: Version; bounce: Version } | undefined;
  cols.forEach((c, i) => {
    const x = at[i];
    const cache = parseVersion(x?.cache ?? '-');
    const ram = parseVersion(x?.ram ?? '-');
    const bounce = parseVersion(x?.bounce ?? '-');
    // the CPU reads its cache when the line is present, else RAM; the device the bounce slot when the platform bounces
    const cpuSees = cache.kind !== 'none' ? cache : ram;
    const deviceSees = bounces ? bounce : ram;
    const row: Record<Lane, Cell> = {
      cpu: { version: { ...cpuSees, dirty: false } },
      cache: { version: cache },
      ram: { version: ram },
      bounce: { version: bounce },
      device: { version: { ...deviceSees, dirty: false } },
    };
    const latest = newest[i];
    if (c.cpu === 'read') {
      row.cpu.action = 'reads';
      if (cpuSees.id >= 0 && cpuSees.id < latest) row.cpu.bad = 'the CPU reads an older version than the newest write';
    } else if (c.cpu === 'write') row.cpu.action = 'writes';
    if (c.device === 'read') {
      row.device.action = 'reads';
      if (deviceSees.id >= 0 && deviceSees.id < latest) row.device.bad = 'the device reads an older version than the newest write';
    } else if (c.device === 'write') row.device.action = 'writes';
    // the newest write was held somewhere and is now held nowhere: where it was is where it was lost
    const held = (v: Version): boolean => v.id === latest && latest > 0;
    if (prev && latest > 0 && !held(cache) && !held(ram) && !held(bounce)) {
      const was = prev;
      const lost = 'the newest write is lost here';
      if (held(was.cache)) row.cache.bad = lost;
      if (held(was.ram)) row.ram.bad = lost;
      if (held(was.bounce)) row.bounce.bad = lost;
    }
    prev = { cache, ram, bounce };
    cells.push(row);
  });
  return { cells, bounces };
}

/** `actor`: a CPU or device lane, whose cells are what it would see, stressed where it acts. */
function renderCell(c: Cell, last: boolean, actor: boolean): string {
  const v = c.version;
  const classes = [`v-${v.kind}`];
  if (actor && !c.action) classes.push('idle');
  if (c.bad) classes.push('bad');
  if (last) classes.push('at');
  const action = c.action ? `<span class="act">${esc(c.action)}</span> ` : '';
  const text = `${action}<span class="v">${esc(v.text)}</span>${v.dirty ? ' <span class="dirty">dirty</span>' : ''}`;
  const title = c.bad ? ` title="${esc(c.bad)}"` : '';
  const mark = c.bad ? ' <span class="mark" aria-label="problem">⚠</span>' : '';
  return `<td class="${classes.join(' ')}"${title}>${text}${mark}</td>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Text and attribute values: every character HTML gives a meaning to. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --old: #e7e9ec; --old-fg: #3d444d; --cpu: #dbeafe; --cpu-fg: #1e40af; --dev: #ffedd5; --dev-fg: #9a3412;
  --bad: #fee2e2; --bad-line: #dc2626; --ok: #15803d; --err: #cf222e; --warn: #9a6700; --info: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
  --old: #2a3038; --old-fg: #c9d1d9; --cpu: #172554; --cpu-fg: #bfdbfe; --dev: #431407; --dev-fg: #fed7aa;
  --bad: #4c1010; --bad-line: #f87171; --ok: #4ade80; --err: #ff7b72; --warn: #d29922; --info: #58a6ff; } }
body { margin: 0; padding: 1rem 1.5rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
.summary, .loc { color: var(--muted); margin: .2rem 0; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--err); border-radius: 6px; padding: .6rem 1rem 1rem; margin: 1rem 0; background: var(--bg); }
.finding.sev-warning { border-left-color: var(--warn); }
.finding.sev-info { border-left-color: var(--info); }
.finding h2 { font-size: 1.05rem; margin: .2rem 0; }
.sev { text-transform: uppercase; font-size: .75rem; letter-spacing: .05em; padding: .1rem .4rem; border-radius: 3px; color: #fff; background: var(--err); vertical-align: middle; }
.sev-warning .sev { background: var(--warn); }
.sev-info .sev { background: var(--info); }
.rule { color: var(--info); }
.msg { margin: .4rem 0; max-width: 70rem; }
pre.src { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: .3rem .6rem; margin: .4rem 0; overflow-x: auto; font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.ln { color: var(--muted); display: inline-block; min-width: 3ch; margin-right: 1ch; text-align: right; }
.related { margin: .3rem 0; padding-left: 1.2rem; }
.trace h3 { font-size: .95rem; margin: 1rem 0 .3rem; }
.legend { color: var(--muted); font-size: 12px; }
.legend .v { padding: 0 .3rem; border-radius: 3px; }
.platform { margin: .6rem 0 1rem; overflow-x: auto; }
table.timeline { border-collapse: collapse; font-size: 12px; }
caption { text-align: left; padding: .2rem 0; font-weight: 600; }
.verdict { font-weight: 600; font-size: 11px; text-transform: uppercase; padding: .05rem .4rem; border-radius: 3px; margin-left: .4rem; }
.corrupts .verdict { background: var(--bad-line); color: #fff; }
.correct .verdict { border: 1px solid var(--ok); color: var(--ok); }
.timeline th, .timeline td { border: 1px solid var(--line); padding: .25rem .45rem; vertical-align: top; }
.timeline thead th { background: var(--panel); font-weight: normal; text-align: left; min-width: 9rem; max-width: 16rem; }
.timeline thead th.at { box-shadow: inset 0 3px 0 var(--bad-line); }
.timeline tbody th { background: var(--panel); text-align: left; white-space: nowrap; font-weight: 600; }
.step { display: inline-block; min-width: 1.3em; text-align: center; border-radius: 50%; background: var(--line); font-size: 11px; }
.line { color: var(--muted); }
.event { display: block; font-weight: 600; }
.code { display: block; color: var(--muted); font: 11px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
td { white-space: nowrap; }
td.v-old { background: var(--old); color: var(--old-fg); }
td.v-cpu { background: var(--cpu); color: var(--cpu-fg); }
td.v-device { background: var(--dev); color: var(--dev-fg); }
td.v-none { color: var(--muted); }
.lane-cpu td, .lane-device td { font-weight: 600; }
td.idle { font-weight: normal; opacity: .6; }
td.bad, .legend .bad { background: var(--bad); color: var(--fg); outline: 2px solid var(--bad-line); outline-offset: -2px; }
.legend .v-old { background: var(--old); } .legend .v-cpu { background: var(--cpu); } .legend .v-device { background: var(--dev); }
.act { font-weight: normal; font-style: italic; }
.dirty { font-size: 10px; text-transform: uppercase; border: 1px solid currentColor; border-radius: 3px; padding: 0 .2rem; }
.mark { color: var(--bad-line); }
.none { color: var(--muted); }
`;
