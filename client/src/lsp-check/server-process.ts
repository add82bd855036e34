import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  createMessageConnection,
  type Diagnostic,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

/** The built server; lsp-check is a real LSP client of it, so CI and editors agree. */
export const SERVER_MAIN = resolve(__dirname, '../../../server/src/lsp/main.js');

export interface ServerSettings {
  platforms?: string[];
  configFile?: string;
  /** `-D` defines from a compiler-style command line. */
  macros?: { defines: Record<string, string> };
  /** `-I` directories from a compiler-style command line. */
  includePaths?: string[];
}

export class FileFailure extends Error {}

interface Pending {
  uri: string;
  version: number;
  resolve: (d: Diagnostic[]) => void;
  reject: (e: Error) => void;
}

/**
 * One server process over stdio. Files go through it one at a time: didOpen, wait for the
 * pushed diagnostics of that version (the client advertises no pull support), didClose.
 */
export class ServerProcess {
  private proc?: ChildProcess;
  private conn?: MessageConnection;
  private pending?: Pending;
  private version = 0;
  private stderr = '';
  private dead?: string;
  /** showMessage notifications received so far (a file that caused one is not cached). */
  messages = 0;

  constructor(
    private readonly settings: ServerSettings,
    private readonly onMessage: (type: number, message: string) => void,
  ) {}

  async start(): Promise<void> {
    const proc = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    proc.on('exit', (code, signal) => this.died(`server exited (${signal ?? `code ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
    proc.on('error', (e) => this.died(`server could not run: ${e.message}`));
    proc.stdin?.on('error', () => undefined); // EPIPE after a crash: reported through 'exit'
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.conn = conn;
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      const w = this.pending;
      if (w && p.uri === w.uri && (p.version === undefined || p.version === w.version)) {
        this.pending = undefined;
        w.resolve(p.diagnostics);
      }
    });
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages++;
      this.onMessage(p.type, p.message);
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.messages++;
      this.onMessage(p.type, p.message);
      return null;
    });
    conn.onError(() => undefined);
    conn.onClose(() => this.died('connection to the server closed'));
    conn.listen();
    await this.withDeadline(
      conn.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'lsp-check' },
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          textDocument: {
            synchronization: { didSave: false },
            publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          },
          workspace: { configuration: false },
        },
        initializationOptions: { settings: this.settings },
      }),
      30000,
      'server did not answer initialize',
    );
    await conn.sendNotification('initialized', {});
  }

  /** Diagnostics for one file; rejects with FileFailure on timeout or a crash. */
  check(uri: string, text: string, timeoutMs: number): Promise<Diagnostic[]> {
    const conn = this.conn;
    if (!conn || this.dead) return Promise.reject(new FileFailure(this.dead ?? 'server not started'));
    const version = ++this.version;
    const result = new Promise<Diagnostic[]>((res, rej) => {
      this.pending = { uri, version, resolve: res, reject: rej };
    });
    void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version, text } }).catch(() => undefined);
    return this.withDeadline(result, timeoutMs, `timed out after ${timeoutMs} ms`).finally(() => {
      this.pending = undefined;
      if (!this.dead) void conn.sendNotification('textDocument/didClose', { textDocument: { uri } }).catch(() => undefined);
    });
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  async stop(): Promise<void> {
    const conn = this.conn;
    if (conn && !this.dead) {
      try {
        await this.withDeadline(conn.sendRequest('shutdown'), 2000, 'shutdown');
        await conn.sendNotification('exit');
      } catch {
        // killed below
      }
    }
    this.kill();
  }

  kill(): void {
    this.dead ??= 'stopped';
    this.conn?.dispose();
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }

  private died(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    const w = this.pending;
    this.pending = undefined;
    w?.reject(new FileFailure(reason));
  }

  private withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
    return new Promise<T>((res, rej) => {
      const t = setTimeout(() => rej(new FileFailure(message)), ms);
      p.then(
        (v) => {
          clearTimeout(t);
          res(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          rej(e instanceof FileFailure ? e : new FileFailure(e instanceof Error ? e.message : String(e)));
        },
      );
    });
  }
}
