import { performance } from 'node:perf_hooks';
import {
  type CodeAction,
  DidChangeConfigurationNotification,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  NotificationType,
  RequestType,
} from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import { ruleDocsUrl, ruleMeta } from '../rules/meta';
import { EXPLAIN_REQUEST, type ExplainParams, type ExplainResult, RECHECK_COMMAND, SHOW_DOCS_COMMAND, STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from '../../../shared/src/protocol';
import { AnalysisScheduler } from './analysis';
import { type ClientFeatures, clientFeatures, serverCapabilities, workspaceFolderPaths } from './capabilities';
import { codeActions } from './codeActions';
import { explain } from './explain';
import { hover } from './hover';
import { Notifier } from './messages';
import { type DocumentSettings, SettingsProvider } from './settings';
import { uriToPath } from './uri';

const STATUS = new NotificationType<StatusParams>(STATUS_NOTIFICATION);
const EXPLAIN = new RequestType<ExplainParams, ExplainResult, void>(EXPLAIN_REQUEST);

/** One analysis in flight: it runs synchronously right after its settings are resolved. */
interface Run {
  start: number;
  end?: number;
  version?: number;
  diagnostics?: number;
  failed?: string;
}

/**
 * Reports `dmaLint/status` from the outside of the scheduler: an analysis starts when its
 * settings resolve and runs synchronously to its publish (push) or return (pull), so a
 * setImmediate queued at the start fires after it has finished. Failures are the errors
 * logged for the document in between.
 */
class StatusReporter {
  private readonly runs = new Map<string, Run>();
  /** Set from initializationOptions: clients that did not ask never get the notification. */
  enabled = false;
  constructor(private readonly connection: Connection) {}

  send(p: StatusParams): void {
    if (!this.enabled) return;
    void this.connection.sendNotification(STATUS, p).catch(() => undefined);
  }
  started(uri: string): void {
    if (!this.enabled) return;
    const run: Run = { start: performance.now() };
    this.runs.set(uri, run);
    setImmediate(() => {
      if (this.runs.get(uri) === run) this.runs.delete(uri);
      const ms = Math.round(((run.end ?? performance.now()) - run.start) * 10) / 10;
      const p: StatusParams = { uri, state: run.failed ? 'error' : 'idle', ms };
      if (run.version !== undefined) Object.assign(p, { version: run.version, diagnostics: run.diagnostics });
      if (run.failed) p.message = run.failed;
      this.send(p);
    });
  }
  published(uri: string, version: number, diagnostics: number): void {
    const run = this.runs.get(uri);
    if (run) Object.assign(run, { end: performance.now(), version, diagnostics });
  }
  logged(message: string): void {
    for (const [uri, run] of this.runs) if (message.includes(uri)) run.failed ??= message;
  }
}

class StatusNotifier extends Notifier {
  constructor(connection: Connection, private readonly status: StatusReporter) {
    super(connection);
  }
  override error(message: string, detail?: unknown): void {
    super.error(message, detail);
    this.status.logged(message);
  }
}

class TimedSettings extends SettingsProvider {
  status?: StatusReporter;
  override async forDocument(uri: string): Promise<DocumentSettings> {
    try {
      const resolved = await super.forDocument(uri);
      this.status?.started(uri);
      return resolved;
    } catch (e) {
      this.status?.send({ uri, state: 'error', message: `could not resolve settings: ${e instanceof Error ? e.message : String(e)}` });
      throw e;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir, so it is read at run time, not imported
const VERSION: string = (require('../../../../package.json') as { version: string }).version;

/** Wires the LSP handlers to settings, scheduling, diagnostics and code actions. */
export function startServer(connection: Connection): void {
  const status = new StatusReporter(connection);
  const notifier = new StatusNotifier(connection, status);
  let features: ClientFeatures | undefined;
  let settings: TimedSettings | undefined;
  let scheduler: AnalysisScheduler | undefined;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    features = clientFeatures(params.capabilities);
    const init = params.initializationOptions as { settings?: unknown; [STATUS_OPT_IN]?: unknown } | null | undefined;
    status.enabled = init?.[STATUS_OPT_IN] === true;
    settings = new TimedSettings(connection, features, notifier, workspaceFolderPaths(params, uriToPath), init?.settings);
    settings.status = status;
    const publish = features.pullDiagnostics
      ? undefined
      : (uri: string, version: number, diagnostics: Parameters<Connection['sendDiagnostics']>[0]['diagnostics']) => {
          status.published(uri, version, diagnostics.length);
          void connection.sendDiagnostics({ uri, version, diagnostics });
        };
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

  /** `analysing` as soon as an analysis is due, so a client can show it during the debounce. */
  const due = (uri: string, onSave: boolean): void => {
    if ((settings?.peek(uri)?.run === 'onSave') === onSave) status.send({ uri, state: 'analysing' });
  };

  connection.onDidOpenTextDocument((p) => {
    status.send({ uri: p.textDocument.uri, state: 'analysing' });
    scheduler?.opened(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
  });
  connection.onDidChangeTextDocument((p) => {
    due(p.textDocument.uri, false);
    scheduler?.changed(p.textDocument.uri, p.textDocument.version, p.contentChanges);
  });
  connection.onDidSaveTextDocument((p) => {
    due(p.textDocument.uri, true);
    scheduler?.saved(p.textDocument.uri);
  });
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
    if (computed) status.published(uri, computed.version, computed.diagnostics.length);
    return { kind: 'full', items: computed?.diagnostics ?? [] };
  });

  // Re-analyse every open document with freshly read settings and .dmalint.json files.
  connection.onExecuteCommand(async (params) => {
    if (params.command === SHOW_DOCS_COMMAND) {
      const rule = params.arguments?.[0];
      if (typeof rule !== 'string' || !ruleMeta(rule)) return null;
      // window/showDocument (LSP 3.16): the client opens the page; external for a browser or viewer
      const shown = await connection.window.showDocument({ uri: ruleDocsUrl(rule), external: true }).catch(() => ({ success: false }));
      return { success: shown.success };
    }
    if (params.command !== RECHECK_COMMAND || !scheduler) return null;
    settings?.changed(undefined);
    const uris = scheduler.uris();
    for (const uri of uris) status.send({ uri, state: 'analysing' });
    reanalyseAll();
    return { documents: uris.length };
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    const uri = params.textDocument.uri;
    if (!scheduler?.get(uri)) return null;
    const computed = await scheduler.current(uri);
    const now = scheduler.get(uri);
    if (!computed || !now || computed.version !== now.version) return null;
    return hover(now, computed.findings, params.position);
  });

  connection.onRequest(EXPLAIN, (params) => explain(scheduler, params));

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    // `only` (quickfix, source.fixAll.dma-lint, ...) is honoured by codeActions() itself
    const only = params.context.only;
    const doc = scheduler?.get(params.textDocument.uri);
    if (!doc || !scheduler) {
      notifier.log(`textDocument/codeAction for ${params.textDocument.uri}, which is not open: no actions`);
      return [];
    }
    const computed = await scheduler.current(params.textDocument.uri);
    const now = scheduler.get(params.textDocument.uri);
    if (!computed || !now || computed.version !== now.version) return [];
    return codeActions(now, computed.findings, params.range, only);
  });

  connection.listen();
}
