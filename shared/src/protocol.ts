/**
 * The custom messages between the DMA Lint server and its VS Code client: the only coupling
 * between the two processes besides standard LSP. Plain method names and payload types, no
 * runtime dependency: each side wraps them in its own jsonrpc library's message type.
 * Other editors need none of this; they get everything through standard LSP.
 */

import type { Finding } from './findings';

/** Where the analysis of one document stands. */
export type AnalysisState = 'analysing' | 'idle' | 'error';

/**
 * Notification server -> client, `dmaLint/status`: sent when an analysis of a document is
 * scheduled or started (`analysing`) and when it has finished (`idle`, or `error` when the
 * analysis itself failed). `ms` is the analysis time, on finished analyses only.
 */
export interface StatusParams {
  uri: string;
  state: AnalysisState;
  ms?: number;
  /** The document version the result is for (finished analyses). */
  version?: number;
  /** Number of diagnostics published for that version (finished analyses). */
  diagnostics?: number;
  /** What went wrong, with `error`. */
  message?: string;
}

export const STATUS_NOTIFICATION = 'dmaLint/status';

/**
 * Sent only to clients that ask for it with this key set to true in `initializationOptions`
 * (the VS Code client does); other editors and lsp-check never see the notification.
 */
export const STATUS_OPT_IN = 'statusNotification';

/**
 * `workspace/executeCommand` command the server offers: re-analyse every open document
 * with freshly read settings and configuration files. No arguments. Any LSP client can
 * run it (Neovim: `vim.lsp.buf.execute_command({ command = 'dma-lint.recheck' })`).
 * It is not named like the VS Code command `dmaLint.recheckWorkspace`, because
 * vscode-languageclient registers the server's commands in VS Code under their own names.
 */
export const RECHECK_COMMAND = 'dma-lint.recheck';

/** Opens a rule's page (arguments: [ruleId]); the server asks the client with window/showDocument. */
export const SHOW_DOCS_COMMAND = 'dma-lint.showDocs';

/**
 * Request client -> server, `dmaLint/explain`: the findings of the current analysis of an
 * open document at a position (those whose range contains it, else those on its line),
 * each with its memory-model trace when it has one. The VS Code command "DMA Lint: Explain
 * finding" uses it, because VS Code does not hand a diagnostic's `data` back to extensions.
 * `findings` is empty when the document is not open, not analysed yet, or changed since.
 */
export const EXPLAIN_REQUEST = 'dmaLint/explain';

export interface ExplainParams {
  uri: string;
  /** 0-based line and UTF-16 character, as LSP positions. */
  position: { line: number; character: number };
}

export interface ExplainResult {
  /** The document version the findings are for (absent with no findings). */
  version?: number;
  findings: Finding[];
}
