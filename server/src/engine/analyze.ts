import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DmaLintSettings } from '../../../shared/src/config';
import type { Finding, Platform } from '../../../shared/src/findings';
import type { FunctionInfo } from '../c/cfg-types';
import { buildCfg } from '../c/cfg';
import { indexFunctions } from '../c/functions';
import { HeaderStructs, type IncludeResolver } from '../c/headers';
import { CParser, type ParsedDocument } from '../c/parser';
import { FileScope, FunctionScope } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { deriveWrappers, wrappersFromConfig, type WrapperMemo, type WrapperTable } from '../dma/wrappers';
import { ALL_RULES } from '../rules';
import type { Rule } from '../rules/rule';
import { execute } from '../sim/executor';
import { collectVmallocAssignments } from '../sim/origins';
import { FileSummary, type FunctionContribution } from '../sim/summary';
import { callbackFunctions, hardIrqHandlers } from '../asynctx/chain';
import { lookupApi } from '../dma/catalogue';
import { buildArches, narrowPlatforms } from '../kbuild/buildable';
import type { KbuildReader } from '../kbuild/reader';
import { shiftRange } from './ranges';
import { FindingCollector, insideError, shiftFinding } from './reporter';
import { postProcess } from './suppress';

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the whole file was not analysed (too large, binary, ...): say why. */
  skipped?: string;
  /** Functions whose analysis was cut short by the work budget. */
  truncatedFunctions: string[];
  /** Problems with the settings (unknown wrapper targets, ...), for the user. */
  settingsErrors: string[];
  /** Functions analysed now / taken unchanged from the previous analysis. */
  analysedFunctions: number;
  reusedFunctions: number;
}

/** Rules that need no path facts: still trusted in functions tree-sitter could not parse whole. */
const SYNTACTIC_RULES = new Set(['dma/direction-none', 'dma/stack-buffer', 'dma/vmalloc-buffer', 'dma/static-buffer', 'dma/sync-non-dma-handle']);

/** A call of an async_tx operation: only then do callbacks and IRQ handlers matter. */
const ASYNC_OP_CALL = /\basync_(memcpy|xor|gen_syndrome|syndrome_val|raid6|trigger_callback)\w*\s*\(/;

/** A cheap lexical filter: functions that cannot touch the DMA API are not analysed. */
const DMA_WORDS = /\b(dma_|dmam_|pci_(map|unmap|dma|alloc|free)_|ib_dma_|skb_frag_dma_map|spi_(read|write|sync)|usb_(control|bulk|interrupt)_msg|async_(memcpy|xor|gen_syndrome|syndrome_val|raid6|trigger_callback)|init_async_submit)/;

/** What one function's analysis produced: cached by the function's text and environment. */
interface FunctionResult {
  findings: Finding[];
  contribution: FunctionContribution;
  truncated: boolean;
  startRow: number;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * Everything outside a function's own text that its analysis depends on: settings, the
 * wrappers in force, file-scope declarations and macros, vmalloc'd fields.
 */
function environmentKey(root: SyntaxNode, source: string, functions: FunctionInfo[], settings: DmaLintSettings, wrappers: WrapperTable, vmalloc: Map<string, SyntaxNode>): string {
  const fileScope: string[] = [];
  let last = 0;
  const text = root.text;
  for (const fn of functions) {
    fileScope.push(text.slice(last, fn.node.startIndex));
    last = fn.node.endIndex;
  }
  fileScope.push(text.slice(last));
  const wrapperSig = [...wrappers.values()].map((w) => `${w.name}:${w.api.name}:${JSON.stringify(w.roles)}`).sort();
  // which functions other code makes async_tx callbacks or hard-IRQ handlers: the
  // submit-in-callback verdict of an unchanged function depends on it
  const submits = ASYNC_OP_CALL.test(source);
  const asyncRoles = submits ? [...(source.includes('init_async_submit') ? callbackFunctions(root) : []), '|', ...hardIrqHandlers(source)] : [];
  return hash(
    JSON.stringify([settings.rules, settings.platforms, settings.maxStepsPerFunction, settings.includePaths, wrapperSig, [...vmalloc.keys()].sort(), asyncRoles, fileScope.join('\u0000')]),
  );
}

/**
 * One document's analysis state. The server keeps one per open document: an edit
 * re-parses incrementally and re-analyses only the functions whose text (or whose
 * environment) changed; lsp-check uses a fresh one per file. dispose() drops the tree.
 */
/** Bodies worth parsing: they can produce an event (DMA API, transfer helpers, vmalloc-family allocators). */
const RELEVANT_BODY = /\b(dma_|dmam_|pci_(map|unmap|dma|alloc|free)_|ib_dma_|skb_frag_dma_map|spi_(read|write|sync)|usb_(control|bulk|interrupt)_msg|k?v[mz]alloc|vmap|kvcalloc|vcalloc|kvrealloc|async_|init_async_submit)/;

export class DocumentAnalyzer {
  private readonly parser = new CParser((body) => RELEVANT_BODY.test(body));
  private doc: ParsedDocument | null = null;
  private macrosKey = '';
  private cache = new Map<string, FunctionResult>();
  private readonly wrapperMemo: WrapperMemo = { entries: new Map() };
  /** Headers the cached results read struct layouts from, with the stamp they had. */
  private headerStamps = new Map<string, string>();

  constructor(readonly uri: string) {}

  /**
   * `includes`: where header texts come from; without it only the file's own structs are
   * known. `tree`: where the file's Makefile and Kconfig come from (kconfigPlatforms).
   */
  update(text: string, settings: DmaLintSettings, includes?: IncludeResolver, tree?: KbuildReader): AnalysisResult {
    const empty: AnalysisResult = { findings: [], truncatedFunctions: [], settingsErrors: [], analysedFunctions: 0, reusedFunctions: 0 };
    if (!settings.enable) return empty;
    if (text.length > settings.maxFileBytes) {
      return { ...empty, skipped: `${text.length} characters is over the ${settings.maxFileBytes} limit (maxFileBytes)` };
    }
    if (text.includes('\u0000')) return { ...empty, skipped: 'binary content (NUL bytes)' };

    // most of a kernel tree never names the DMA API: such a file costs a scan, not a parse
    if (!DMA_WORDS.test(text) && !Object.keys(settings.wrappers).some((w) => text.includes(w))) {
      this.doc = null;
      this.cache.clear();
      return empty;
    }
    const macrosKey = JSON.stringify(settings.macros);
    this.doc = this.doc && macrosKey === this.macrosKey ? this.parser.reparse(this.doc, text, settings.macros) : this.parser.parse(text, settings.macros);
    this.macrosKey = macrosKey;
    return this.analyse(this.doc.tree.rootNode, text, this.buildable(settings, tree), includes, settings.platforms);
  }

  /**
   * The settings with the platforms the file's Kconfig can build it for: from here on the
   * executor models, the rules and the collector see only those (a PPC-only driver is not
   * simulated on armv7). Unknown (not a kernel tree, no Makefile rule, ...): unchanged.
   */
  private buildable(settings: DmaLintSettings, tree: KbuildReader | undefined): DmaLintSettings {
    const filePath = this.uri.startsWith('file:') ? safePath(this.uri) : undefined;
    if (!settings.kconfigPlatforms || !tree || !filePath) return settings;
    let platforms;
    try {
      platforms = narrowPlatforms(settings.platforms, buildArches(filePath, tree));
    } catch {
      return settings; // an unreadable tree narrows nothing
    }
    return platforms.length === settings.platforms.length ? settings : { ...settings, platforms };
  }

  /** The file's headers, when there is a resolver and the document is a file; stale cached results dropped. */
  private headersFor(root: SyntaxNode, settings: DmaLintSettings, includes: IncludeResolver | undefined): HeaderStructs | undefined {
    const filePath = this.uri.startsWith('file:') ? safePath(this.uri) : undefined;
    if (!includes || !filePath) {
      if (this.headerStamps.size > 0) this.cache.clear();
      this.headerStamps.clear();
      return undefined;
    }
    for (const [path, stamp] of this.headerStamps) {
      if (includes.read(path)?.stamp !== stamp) {
        // a header a cached result depends on changed (or went away)
        this.cache.clear();
        this.headerStamps.clear();
        break;
      }
    }
    return new HeaderStructs(includes, root, filePath, [dirname(filePath), ...settings.includePaths], settings.macros);
  }

  /** `chosen`: the platforms before narrowing, named by lifecycle findings if narrowing left none. */
  private analyse(root: SyntaxNode, text: string, settings: DmaLintSettings, includes: IncludeResolver | undefined, chosen: readonly Platform[]): AnalysisResult {
    const headers = this.headersFor(root, settings, includes);
    const functions = indexFunctions(root);
    const configured = wrappersFromConfig(settings.wrappers);
    const wrappers = deriveWrappers(functions, configured.table, this.wrapperMemo);
    const wrapperNames = [...wrappers.keys()];
    const vmallocAssigned = collectVmallocAssignments(root);
    const envKey = environmentKey(root, text, functions, settings, wrappers, vmallocAssigned);
    const enabledRules = ALL_RULES.filter((r) => settings.rules[r.id] !== 'off');
    const enabled = (rule: string) => settings.rules[rule] !== 'off';
    let fileScope: FileScope | null = null;
    const summary = new FileSummary();
    const collector = new FindingCollector(settings.platforms, enabled, chosen);
    const truncated: string[] = [];
    const nextCache = new Map<string, FunctionResult>();
    let analysed = 0;
    let reused = 0;

    for (const fn of functions) {
      const body = fn.body.text;
      if (!DMA_WORDS.test(body) && !wrapperNames.some((w) => body.includes(w))) continue;
      const key = `${fn.hash}|${fn.node.startPosition.column}|${envKey}`;
      let result = this.cache.get(key);
      const startRow = fn.node.startPosition.row;
      if (result) {
        reused++;
        if (result.startRow !== startRow) result = moveResult(result, startRow);
      } else {
        analysed++;
        fileScope ??= new FileScope(root, headers && ((name) => headers.struct(name)), headers && ((name) => headers.macro(name)));
        result = analyseFunction(fn, fileScope, settings, wrappers, vmallocAssigned, enabledRules, enabled, text, chosen);
      }
      nextCache.set(key, result);
      collector.addAll(result.findings);
      summary.merge(result.contribution);
      if (result.truncated) truncated.push(fn.name);
    }
    this.cache = nextCache;
    for (const [path, stamp] of headers?.consulted ?? []) this.headerStamps.set(path, stamp);
    summary.noteOutParameters(text, (callee) => lookupApi(callee) !== undefined);
    for (const rule of enabledRules) {
      rule.fileEnd?.(summary, (at, fn, message, related, severity) => collector.add(rule.id, at, fn, message, related ?? [], severity));
    }
    return {
      findings: postProcess(text, collector.findings(), settings),
      truncatedFunctions: truncated,
      settingsErrors: configured.errors,
      analysedFunctions: analysed,
      reusedFunctions: reused,
    };
  }

  dispose(): void {
    if (this.doc) this.parser.dispose(this.doc);
    this.doc = null;
    this.cache.clear();
  }
}

function safePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function moveResult(r: FunctionResult, startRow: number): FunctionResult {
  const rows = startRow - r.startRow;
  return {
    findings: r.findings.map((f) => shiftFinding(f, rows)),
    contribution: {
      stored: r.contribution.stored.map((s) => ({ ...s, at: shiftRange(s.at, rows) })),
      released: r.contribution.released.map((x) => ({ ...x, at: shiftRange(x.at, rows) })),
    },
    truncated: r.truncated,
    startRow,
  };
}

function analyseFunction(
  fn: FunctionInfo,
  fileScope: FileScope,
  settings: DmaLintSettings,
  wrappers: WrapperTable,
  vmallocAssigned: Map<string, SyntaxNode>,
  rules: readonly Rule[],
  enabled: (rule: string) => boolean,
  source: string,
  chosen: readonly Platform[],
): FunctionResult {
  const collector = new FindingCollector(settings.platforms, enabled, chosen);
  // in a function tree-sitter could not parse whole, path facts are unreliable
  const keep = fn.hasErrors ? (node: SyntaxNode, rule: string) => SYNTACTIC_RULES.has(rule) && !insideError(node) : () => true;
  const reporter = collector.reporterFor(fn.name, keep);
  const scope = new FunctionScope(fileScope, fn.node);
  const events = { wrappers };
  const cfg = buildCfg(fn);
  const ctx = { fn, scope, reporter, vmallocAssigned, events, source, platforms: settings.platforms, cfg };
  const summary = new FileSummary();
  const result = execute({
    fn,
    cfg,
    scope,
    events,
    hooks: rules.map((r) => r.create(ctx)),
    summary,
    maxSteps: settings.maxStepsPerFunction,
    platforms: settings.platforms,
    source,
  });
  return {
    findings: collector.findings(),
    contribution: { stored: summary.stored, released: summary.released },
    truncated: result.truncated,
    startRow: fn.node.startPosition.row,
  };
}

/** Analyses one text from scratch (lsp-check, tests). */
export function analyzeText(text: string, settings: DmaLintSettings): AnalysisResult {
  const analyzer = new DocumentAnalyzer('');
  try {
    return analyzer.update(text, settings);
  } finally {
    analyzer.dispose();
  }
}
