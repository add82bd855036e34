import { type Disposable, LanguageStatusSeverity, languages, type LanguageStatusItem, window } from 'vscode';
import type { StatusParams } from '../../../shared/src/protocol';

/**
 * The language status item of C files ("{} C" in the status bar): what the server is doing
 * for the active document (idle, analysing, error) and how long its last analysis took.
 * Fed by the server's `dmaLint/status` notification and by the client's own state (a
 * server that stopped is an error). Clicking it opens the output channel, which never
 * opens by itself.
 */
export class StatusItem implements Disposable {
  private readonly item: LanguageStatusItem;
  private readonly byUri = new Map<string, StatusParams & { at?: Date }>();
  private latest: (StatusParams & { at?: Date }) | undefined;
  private serverProblem: string | undefined;
  private readonly onEditor: Disposable;

  constructor(showOutputCommand: string) {
    this.item = languages.createLanguageStatusItem('dmaLint.status', [{ language: 'c' }]);
    this.item.name = 'DMA Lint';
    this.item.command = { title: 'Show Output', command: showOutputCommand, tooltip: 'Open the DMA Lint output channel' };
    this.onEditor = window.onDidChangeActiveTextEditor(() => this.render());
    this.render();
  }

  update(p: StatusParams): void {
    const prev = this.byUri.get(p.uri);
    // keep the last timing while a new analysis is pending
    const entry = p.ms !== undefined ? { ...p, at: new Date() } : { ...prev, ...p, message: p.message };
    this.byUri.set(p.uri, entry);
    this.latest = entry;
    this.render();
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
    if (this.latest?.uri === uri) this.latest = undefined;
    this.render();
  }

  /** A (re)started server knows nothing of earlier analyses. */
  reset(): void {
    this.byUri.clear();
    this.latest = undefined;
    this.render();
  }

  /** The language client stopped (crashed too often, or failed to start); undefined: running. */
  server(problem: string | undefined): void {
    this.serverProblem = problem;
    this.render();
  }

  private render(): void {
    const active = window.activeTextEditor?.document.uri.toString();
    const s = (active !== undefined ? this.byUri.get(active) : undefined) ?? this.latest;
    const state = this.serverProblem ? 'error' : (s?.state ?? 'idle');
    this.item.text = `DMA Lint: ${state}`;
    this.item.busy = state === 'analysing';
    this.item.severity = state === 'error' ? LanguageStatusSeverity.Error : LanguageStatusSeverity.Information;
    const parts: string[] = [];
    if (this.serverProblem) parts.push(this.serverProblem);
    else if (s?.state === 'error' && s.message) parts.push(s.message);
    if (s?.ms !== undefined && s.at) {
      const count = s.diagnostics !== undefined ? `, ${s.diagnostics} finding${s.diagnostics === 1 ? '' : 's'}` : '';
      parts.push(`last analysis ${s.ms} ms at ${s.at.toLocaleTimeString()}${count}`);
    }
    this.item.detail = parts.join(' · ');
  }

  dispose(): void {
    this.onEditor.dispose();
    this.item.dispose();
  }
}
