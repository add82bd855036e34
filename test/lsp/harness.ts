import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export const SERVER = resolve(__dirname, '../../out/server/src/lsp/main.js');

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  source?: string;
  code?: string | number;
  codeDescription?: { href: string };
  message: string;
  relatedInformation?: { location: { uri: string; range: Diag['range'] }; message: string }[];
  data?: { rule: string; function: string; platforms: string[] };
}

export interface TextEdit {
  range: Diag['range'];
  newText: string;
}

export interface HarnessOptions {
  pull?: boolean;
  /** Answer workspace/configuration with this (per section item); omit = capability not advertised. */
  configuration?: (scopeUri: string | undefined) => unknown;
  initializationOptions?: unknown;
  rootUri?: string | null;
  /** Server entry point (default: the built one in out/), e.g. one unpacked from the .vsix. */
  server?: string;
  cwd?: string;
}

/** A minimal LSP client over stdio for protocol tests of the built server. */
export class Harness {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: Published[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];

  constructor(private readonly opts: HarnessOptions = {}) {
    this.proc = spawn(process.execPath, [opts.server ?? SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
    this.proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => this.note(() => this.published.push(p)));
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => this.note(() => this.messages.push(p)));
    this.conn.onNotification('window/logMessage', (p: { message: string }) => this.note(() => this.logs.push(p.message)));
    this.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) =>
      p.items.map((i) => this.opts.configuration?.(i.scopeUri) ?? null),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => this.note(() => this.refreshes++));
    this.conn.listen();
  }

  refreshes = 0;

  private note(f: () => unknown): null {
    f();
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x();
    return null;
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const textDocument: Record<string, unknown> = {
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      synchronization: { didSave: true },
    };
    if (this.opts.pull) textDocument.diagnostic = { dynamicRegistration: false };
    const result = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: this.opts.rootUri ?? null,
      capabilities: {
        textDocument,
        workspace: { configuration: this.opts.configuration !== undefined, diagnostics: { refreshSupport: this.opts.pull === true } },
      },
      initializationOptions: this.opts.initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when `pred` holds, re-checked after every notification. */
  async until<T>(pred: () => T | undefined | false, ms = 10000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; logs: ${this.logs.join(' | ')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  diagnosticsFor(uri: string, version?: number): Promise<Published> {
    return this.until(
      () => [...this.published].reverse().find((p) => p.uri === uri && (version === undefined || p.version === version)),
      10000,
      `diagnostics for ${uri} v${version}`,
    );
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version, text } });
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
