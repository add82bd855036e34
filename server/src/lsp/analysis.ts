import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../../shared/src/findings';
import { DocumentAnalyzer } from '../engine/analyze';
import { postProcess } from '../engine/suppress';
import { findingToDiagnostic, skippedDiagnostic } from './diagnostics';
import { FileIncludeResolver } from './includes';
import type { Notifier } from './messages';
import type { SettingsProvider } from './settings';
import { uriToPath } from './uri';

/** The outcome of analysing one version of one document. */
export interface Computed {
  version: number;
  generation: number;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

interface OpenDocument {
  doc: TextDocument;
  analyzer: DocumentAnalyzer;
  timer?: NodeJS.Timeout;
  last?: Computed;
}

/**
 * Open documents, one DocumentAnalyzer each, and when to analyse them: at once on open,
 * debounced on change (`dmaLint.debounceMs`, `dmaLint.run`), on save in onSave mode.
 * `publish` is called with every fresh result in push mode; in pull mode the server
 * answers textDocument/diagnostic from `current`.
 */
export class AnalysisScheduler {
  private readonly open = new Map<string, OpenDocument>();
  /** Open documents by file path: headers read for struct layouts use the editor's text. */
  private readonly openPaths = new Map<string, string>();
  private readonly includes = new FileIncludeResolver((path) => {
    const uri = this.openPaths.get(path);
    const doc = uri === undefined ? undefined : this.open.get(uri)?.doc;
    return doc ? { text: doc.getText(), version: doc.version } : undefined;
  });

  constructor(
    private readonly settings: SettingsProvider,
    private readonly notifier: Notifier,
    private readonly publish: ((uri: string, version: number, diagnostics: Diagnostic[]) => void) | undefined,
  ) {}

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri)?.doc;
  }

  uris(): string[] {
    return [...this.open.keys()];
  }

  opened(uri: string, languageId: string, version: number, text: string): void {
    const existing = this.open.get(uri);
    if (existing) this.closed(uri, false);
    this.open.set(uri, { doc: TextDocument.create(uri, languageId, version, text), analyzer: new DocumentAnalyzer(uri) });
    const path = uriToPath(uri);
    if (path) this.openPaths.set(path, uri);
    void this.analyze(uri);
  }

  changed(uri: string, version: number, changes: Parameters<typeof TextDocument.update>[1]): void {
    const state = this.open.get(uri);
    if (!state) {
      this.notifier.log(`ignoring didChange for ${uri}: the document is not open`);
      return;
    }
    state.doc = TextDocument.update(state.doc, changes, version);
    const editor = this.settings.peek(uri);
    if (!this.publish || editor?.run === 'onSave') return;
    this.schedule(state, uri, editor?.debounceMs ?? 75);
    // an edited header may hold a struct layout another open file maps a member of
    if (/\.h$/i.test(uri)) {
      for (const [other, st] of this.open) if (other !== uri) this.schedule(st, other, (this.settings.peek(other)?.debounceMs ?? 75) * 2);
    }
  }

  saved(uri: string): void {
    const state = this.open.get(uri);
    if (!state) return;
    if (this.settings.peek(uri)?.run === 'onSave') void this.analyze(uri);
  }

  closed(uri: string, clear = true): void {
    const state = this.open.get(uri);
    if (!state) {
      this.notifier.log(`ignoring didClose for ${uri}: the document is not open`);
      return;
    }
    clearTimeout(state.timer);
    state.analyzer.dispose();
    this.open.delete(uri);
    const path = uriToPath(uri);
    if (path && this.openPaths.get(path) === uri) this.openPaths.delete(path);
    this.settings.forget(uri);
    if (clear) this.publish?.(uri, state.doc.version, []);
  }

  /** Re-analyse every open document (settings or a config file changed). */
  all(): void {
    for (const uri of this.open.keys()) void this.analyze(uri);
  }

  /**
   * The result for the document's current version and settings, computing it if needed.
   * `allowStale` (pull diagnostics in onSave mode) accepts the last result of any version.
   */
  async current(uri: string, allowStale = false): Promise<Computed | undefined> {
    const state = this.open.get(uri);
    if (!state) return undefined;
    const last = state.last;
    if (last && (allowStale || (last.version === state.doc.version && last.generation === this.settings.generation))) return last;
    return this.analyze(uri);
  }

  private schedule(state: OpenDocument, uri: string, delay: number): void {
    clearTimeout(state.timer);
    if (delay <= 0) {
      void this.analyze(uri);
      return;
    }
    state.timer = setTimeout(() => void this.analyze(uri), delay);
  }

  private async analyze(uri: string): Promise<Computed | undefined> {
    const before = this.open.get(uri);
    if (!before) return undefined;
    clearTimeout(before.timer);
    const generation = this.settings.generation;
    let resolved;
    try {
      resolved = await this.settings.forDocument(uri);
    } catch (e) {
      this.notifier.error(`DMA Lint: could not resolve settings for ${uri}`, e);
      return undefined;
    }
    const state = this.open.get(uri);
    if (!state) return undefined; // closed while settings were fetched
    const { doc, analyzer } = state;
    const text = doc.getText();
    let computed: Computed = { version: doc.version, generation, findings: [], diagnostics: [] };
    if (resolved.settings.enable) {
      try {
        const result = analyzer.update(text, resolved.settings, this.includes, this.includes);
        const findings = postProcess(text, result.findings, resolved.settings);
        const diagnostics = findings.map((f) => findingToDiagnostic(uri, f));
        const firstLine = () => doc.getText({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).replace(/\r?\n$/, '').length;
        if (result.skipped !== undefined) {
          diagnostics.unshift(skippedDiagnostic(result.skipped, firstLine()));
        }
        if (result.truncatedFunctions.length > 0) {
          // said once per file, plainly: findings in these functions may be missing
          const names = result.truncatedFunctions.slice(0, 5).join(', ') + (result.truncatedFunctions.length > 5 ? ', ...' : '');
          diagnostics.unshift(skippedDiagnostic(`the work budget ran out in ${result.truncatedFunctions.length} function(s) (${names}); findings there may be missing`, firstLine(), 'partly analysed'));
        }
        computed = { ...computed, findings, diagnostics };
      } catch (e) {
        this.notifier.error(`DMA Lint: analysis of ${uri} failed`, e);
        // Once per distinct failure, not per document: an engine bug can hit every file.
        const reason = e instanceof Error ? e.message : String(e);
        this.notifier.showErrorOnce(`DMA Lint: analysis failed (${reason}), first in ${uri}. See the output log.`, `analysis:${reason}`);
      }
    }
    // A newer result for a newer version may have landed while this one waited.
    if (!state.last || state.last.version <= computed.version) state.last = computed;
    this.publish?.(uri, computed.version, computed.diagnostics);
    return computed;
  }
}
