// A minimal LSP client for scripts/bench.mjs: spawns the real server over stdio, initializes
// it as a push-diagnostics client (no textDocument.diagnostic, no workspace/configuration,
// so settings come from initializationOptions), and lets the caller wait for the
// publishDiagnostics of a given document version.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

// BENCH_BUILD: the frozen copy of the build scripts/bench.mjs runs (else this checkout);
// read when a session starts, after bench.mjs has set it.
export function serverMain() {
  return join(process.env.BENCH_BUILD ?? join(import.meta.dirname, '..', '..'), 'out', 'server', 'src', 'lsp', 'main.js');
}

export function uriOf(path) {
  return pathToFileURL(path).href;
}

/** Resident set size figures of a process, in kB, from /proc/<pid>/status. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

export class LspSession {
  static async start({ rootPath, settings = { debounceMs: 0 } } = {}) {
    const s = new LspSession();
    s.proc = spawn(process.execPath, [serverMain(), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    s.stderr = '';
    s.proc.stderr.on('data', (d) => {
      s.stderr = (s.stderr + d.toString()).slice(-8000);
    });
    s.exited = new Promise((resolve) => s.proc.on('exit', (code, signal) => resolve({ code, signal })));
    s.conn = createMessageConnection(new StreamMessageReader(s.proc.stdout), new StreamMessageWriter(s.proc.stdin));
    s.waiters = new Map(); // uri -> [{version, resolve}]
    s.latest = new Map(); // uri -> {version, count}
    s.messages = [];
    s.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const version = p.version ?? -1;
      s.latest.set(p.uri, { version, count: p.diagnostics.length });
      const list = s.waiters.get(p.uri);
      if (!list) return;
      const keep = [];
      for (const w of list) {
        if (version >= w.version) w.resolve({ version, count: p.diagnostics.length, at: process.hrtime.bigint() });
        else keep.push(w);
      }
      s.waiters.set(p.uri, keep);
    });
    s.conn.onNotification('window/logMessage', (p) => {
      if (p.type === 1) s.messages.push(p.message);
    });
    s.conn.onNotification('window/showMessage', (p) => s.messages.push(p.message));
    s.conn.onRequest('window/showMessageRequest', (p) => {
      s.messages.push(p.message);
      return null;
    });
    s.conn.onRequest('workspace/configuration', (p) => p.items.map(() => settings));
    s.conn.onRequest('client/registerCapability', () => null);
    s.conn.listen();
    const rootUri = rootPath ? uriOf(rootPath) : null;
    await s.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootPath ? [{ uri: rootUri, name: 'tree' }] : null,
      capabilities: { textDocument: { synchronization: { didSave: true } }, workspace: {} },
      initializationOptions: { settings },
    });
    await s.conn.sendNotification('initialized', {});
    return s;
  }

  get pid() {
    return this.proc.pid;
  }

  /** Resolves with {version, count, at} once diagnostics for `version` (or later) arrive. */
  waitFor(uri, version, timeoutMs = 120000) {
    const last = this.latest.get(uri);
    if (last && last.version >= version) return Promise.resolve({ ...last, at: process.hrtime.bigint() });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push({
        version,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      this.waiters.set(uri, list);
    });
  }

  async open(path, text = readFileSync(path, 'utf8')) {
    const uri = uriOf(path);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    return uri;
  }

  /** Sends an incremental change; returns the hrtime (ns) just before sending. */
  async change(uri, version, range, text) {
    const at = process.hrtime.bigint();
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return at;
  }

  async close(uri) {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    const done = await Promise.race([this.exited, new Promise((r) => setTimeout(() => r(null), 5000))]);
    if (done === null) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}
