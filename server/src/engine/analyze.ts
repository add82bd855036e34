import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import type { DmaLintSettings } from '../../../shared/src/config';
import type { Finding } from '../../../shared/src/findings';
import { buildCfg } from '../c/cfg';
import { indexFunctions } from '../c/functions';
import { maskKernelDialect } from '../c/mask';
import { FileScope, FunctionScope } from '../c/scope';
import type { Tree } from '../c/syntax';
import { deriveWrappers, wrappersFromConfig } from '../dma/wrappers';
import { ALL_RULES } from '../rules';
import { execute } from '../sim/executor';
import { collectVmallocAssignments } from '../sim/origins';
import { FileSummary } from '../sim/summary';
import { FindingCollector, insideError } from './reporter';
import { postProcess } from './suppress';

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the whole file was not analysed (too large, binary, ...): say why. */
  skipped?: string;
  /** Functions whose analysis was cut short by the work budget. */
  truncatedFunctions: string[];
  /** Problems with the settings (unknown wrapper targets, ...), for the user. */
  settingsErrors: string[];
}

/** Rules that need no path facts: still trusted in functions tree-sitter could not parse whole. */
const SYNTACTIC_RULES = new Set(['dma/direction-none', 'dma/stack-buffer', 'dma/vmalloc-buffer', 'dma/static-buffer', 'dma/sync-non-dma-handle']);

/** A cheap lexical filter: functions that cannot touch the DMA API are not analysed. */
const DMA_WORDS = /\b(dma_|dmam_|pci_(map|unmap|dma|alloc|free)_|ib_dma_|skb_frag_dma_map|spi_(read|write|sync)|usb_(control|bulk|interrupt)_msg)/;

let sharedParser: Parser | null = null;
function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(C as unknown as Parser.Language);
  }
  return sharedParser;
}

/** node-tree-sitter reads string input in chunks; a buffer covering the whole text avoids re-reads. */
function parse(masked: string): Tree {
  return parser().parse(masked, undefined, { bufferSize: Math.max(32 * 1024, masked.length * 2 + 16) });
}

export function analyzeText(text: string, settings: DmaLintSettings): AnalysisResult {
  const empty: AnalysisResult = { findings: [], truncatedFunctions: [], settingsErrors: [] };
  if (!settings.enable) return empty;
  if (text.length > settings.maxFileBytes) {
    return { ...empty, skipped: `${text.length} characters is over the ${settings.maxFileBytes} limit (maxFileBytes)` };
  }
  if (text.includes('\u0000')) return { ...empty, skipped: 'binary content (NUL bytes)' };

  const masked = maskKernelDialect(text, settings.macros);
  const tree = parse(masked);
  const root = tree.rootNode;
  const functions = indexFunctions(root);
  const configured = wrappersFromConfig(settings.wrappers);
  const wrappers = deriveWrappers(functions, configured.table);
  const wrapperNames = [...wrappers.keys()];
  const fileScope = new FileScope(root);
  const vmallocAssigned = collectVmallocAssignments(root);
  const summary = new FileSummary();
  const enabledRules = ALL_RULES.filter((r) => settings.rules[r.id] !== 'off');
  const collector = new FindingCollector(settings.platforms, (rule) => settings.rules[rule] !== 'off');
  const truncated: string[] = [];

  for (const fn of functions) {
    const body = fn.body.text;
    if (!DMA_WORDS.test(body) && !wrapperNames.some((w) => body.includes(w))) continue;
    const keep = fn.hasErrors
      ? (node: Parameters<typeof insideError>[0], rule: string) => SYNTACTIC_RULES.has(rule) && !insideError(node)
      : () => true;
    const reporter = collector.reporterFor(fn.name, keep);
    const scope = new FunctionScope(fileScope, fn.node);
    const events = { wrappers };
    const ctx = { fn, scope, reporter, vmallocAssigned, events };
    const hooks = enabledRules.map((r) => r.create(ctx));
    const result = execute({
      fn,
      cfg: buildCfg(fn),
      scope,
      events,
      hooks,
      summary,
      maxSteps: settings.maxStepsPerFunction,
    });
    if (result.truncated) truncated.push(fn.name);
  }
  for (const rule of enabledRules) {
    rule.fileEnd?.(summary, (node, fn, message, related, severity) => {
      if (!insideError(node)) collector.add(rule.id, node, fn, message, related ?? [], severity);
    });
  }
  return {
    findings: postProcess(text, collector.findings(), settings),
    truncatedFunctions: truncated,
    settingsErrors: configured.errors,
  };
}

/**
 * One open document's analysis state. The server keeps one per document; lsp-check uses
 * a fresh one per file. Call dispose() to drop the document's state.
 */
export class DocumentAnalyzer {
  constructor(readonly uri: string) {}

  update(text: string, settings: DmaLintSettings): AnalysisResult {
    return analyzeText(text, settings);
  }

  dispose(): void {}
}
