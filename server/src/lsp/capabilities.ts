import {
  type ClientCapabilities,
  CodeActionKind,
  type InitializeParams,
  type ServerCapabilities,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { RECHECK_COMMAND, SHOW_DOCS_COMMAND } from '../../../shared/src/protocol';
import { FIX_ALL_KIND } from './fixAll';

/** What the client can do, reduced to the switches the server acts on. */
export interface ClientFeatures {
  /** textDocument/diagnostic: answer pulls and never push (VS Code >= 1.68). */
  pullDiagnostics: boolean;
  /** workspace/diagnostic/refresh after a settings change (pull mode only). */
  diagnosticRefresh: boolean;
  /** workspace/configuration: ask per document; otherwise use initializationOptions. */
  configuration: boolean;
  workspaceFolders: boolean;
}

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: caps.workspace?.diagnostics?.refreshSupport === true,
    configuration: caps.workspace?.configuration === true,
    workspaceFolders: caps.workspace?.workspaceFolders === true,
  };
}

export function serverCapabilities(features: ClientFeatures): ServerCapabilities {
  const caps: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
    hoverProvider: true,
    executeCommandProvider: { commands: [RECHECK_COMMAND, SHOW_DOCS_COMMAND] },
  };
  if (features.pullDiagnostics) {
    caps.diagnosticProvider = { identifier: 'dma-lint', interFileDependencies: false, workspaceDiagnostics: false };
  }
  if (features.workspaceFolders) {
    caps.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  }
  return caps;
}

export function workspaceFolderPaths(params: InitializeParams, toPath: (uri: string) => string | undefined): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.map(toPath).filter((p): p is string => p !== undefined);
  if (paths.length === 0 && params.rootPath) paths.push(params.rootPath);
  return paths;
}
