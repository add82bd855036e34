import {
  type CodeAction,
  CodeActionKind,
  DidChangeConfigurationNotification,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import { AnalysisScheduler } from './analysis';
import { type ClientFeatures, clientFeatures, serverCapabilities, workspaceFolderPaths } from './capabilities';
import { codeActions } from './codeActions';
import { Notifier } from './messages';
import { SettingsProvider } from './settings';
import { uriToPath } from './uri';

const VERSION: string = (require('../../../../package.json') as { version: string }).version;

/** Wires the LSP handlers to settings, scheduling, diagnostics and code actions. */
export function startServer(connection: Connection): void {
  const notifier = new Notifier(connection);
  let features: ClientFeatures | undefined;
  let settings: SettingsProvider | undefined;
  let scheduler: AnalysisScheduler | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    features = clientFeatures(params.capabilities);
    const init = params.initializationOptions as { settings?: unknown } | null | undefined;
    settings = new SettingsProvider(connection, features, notifier, workspaceFolderPaths(params, uriToPath), init?.settings);
    const publish = features.pullDiagnostics
      ? undefined
      : (uri: string, version: number, diagnostics: Parameters<Connection['sendDiagnostics']>[0]['diagnostics']) =>
          void connection.sendDiagnostics({ uri, version, diagnostics });
    scheduler = new AnalysisScheduler(settings, notifier, publish);
    return { capabilities: serverCapabilities(features), serverInfo: { name: 'dma-lint', version: VERSION } };
  });

  connection.onInitialized(() => {
    if (features?.configuration) {
      // Without this registration VS Code sends no didChangeConfiguration for our section.
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dmaLint' }).catch(() => undefined);
    }
    if (features?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        if (!settings) return;
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
        settings.workspaceFolders = settings.workspaceFolders.filter((f) => !removed.has(f));
        for (const f of e.added) {
          const p = uriToPath(f.uri);
          if (p) settings.workspaceFolders.push(p);
        }
        reanalyseAll();
      });
    }
  });

  function reanalyseAll(): void {
    if (!scheduler) return;
    if (features?.pullDiagnostics) {
      if (features.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
    } else {
      scheduler.all();
    }
  }

  connection.onDidOpenTextDocument((p) => scheduler?.opened(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text));
  connection.onDidChangeTextDocument((p) => scheduler?.changed(p.textDocument.uri, p.textDocument.version, p.contentChanges));
  connection.onDidSaveTextDocument((p) => scheduler?.saved(p.textDocument.uri));
  connection.onDidCloseTextDocument((p) => scheduler?.closed(p.textDocument.uri));

  connection.onDidChangeConfiguration((p) => {
    settings?.changed(p.settings as unknown);
    reanalyseAll();
  });
  // A .dmalint.json was created, changed or deleted (clients that watch files for us).
  connection.onDidChangeWatchedFiles(() => {
    settings?.changed(undefined);
    reanalyseAll();
  });

  connection.languages.diagnostics.on(async (params) => {
    const uri = params.textDocument.uri;
    if (!scheduler?.get(uri)) {
      notifier.log(`textDocument/diagnostic for ${uri}, which is not open: empty report`);
      return { kind: 'full', items: [] };
    }
    const computed = await scheduler.current(uri, settings?.peek(uri)?.run === 'onSave');
    return { kind: 'full', items: computed?.diagnostics ?? [] };
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const only = params.context.only;
    if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix))) return [];
    const doc = scheduler?.get(params.textDocument.uri);
    if (!doc || !scheduler) {
      notifier.log(`textDocument/codeAction for ${params.textDocument.uri}, which is not open: no actions`);
      return [];
    }
    const computed = await scheduler.current(params.textDocument.uri);
    const now = scheduler.get(params.textDocument.uri);
    if (!computed || !now || computed.version !== now.version) return [];
    return codeActions(now, computed.findings, params.range);
  });

  connection.listen();
}
