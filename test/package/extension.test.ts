import Module, { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The VS Code client's wiring, run against stand-ins for the `vscode` API and for
 * vscode-languageclient (neither can run outside VS Code): which commands, which client
 * options, how `dmaLint/status` drives the language status item. The real protocol is
 * covered by the server tests and the .vsix test.
 */
const ROOT = resolve(__dirname, '../..');
type Fn = (...args: unknown[]) => unknown;

const commands = new Map<string, Fn>();
const executed: unknown[][] = [];
const taskProviders = new Map<string, { provideTasks: () => { name: string; execution: { process: string; args: string[] }; problemMatchers: string[] }[] }>();
const statusItem: Record<string, unknown> = {};
let activeEditor: unknown;
let diagnostics: unknown[] = [];
const panels: { title: string; options: unknown; webview: { html: string } }[] = [];

class Uri {
  constructor(readonly fsPath: string) {}
  static file(p: string) {
    return new Uri(p);
  }
  toString() {
    return `file://${this.fsPath}`;
  }
}
class ProcessExecution {
  constructor(readonly process: string, readonly args: string[], readonly options: unknown) {}
}
class Task {
  readonly problemMatchers: string[];
  constructor(readonly definition: unknown, readonly scope: unknown, readonly name: string, readonly source: string, readonly execution: unknown, matcher: string) {
    this.problemMatchers = [matcher];
  }
}
const disposable = { dispose: () => undefined };
const vscode = {
  Uri,
  ProcessExecution,
  Task,
  TaskScope: { Workspace: 2 },
  ViewColumn: { Beside: -2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  languages: {
    createLanguageStatusItem: (id: string, selector: unknown) => Object.assign(statusItem, { id, selector, dispose: () => undefined }),
    getDiagnostics: () => diagnostics,
  },
  window: {
    createOutputChannel: (name: string, opts: unknown) => ({ name, opts, show: () => executed.push(['output.show']), info: () => undefined, dispose: () => undefined }),
    onDidChangeActiveTextEditor: () => disposable,
    get activeTextEditor() {
      return activeEditor;
    },
    showQuickPick: async (items: unknown[]) => items[0],
    showWarningMessage: async () => undefined,
    showTextDocument: async () => undefined,
    showInformationMessage: async () => undefined,
    createWebviewPanel: (viewType: string, title: string, column: unknown, options: unknown) => {
      const panel = { viewType, title, column, options, webview: { html: '' }, onDidDispose: () => disposable, reveal: () => undefined };
      panels.push(panel);
      return panel;
    },
  },
  workspace: {
    createFileSystemWatcher: () => disposable,
    onDidCloseTextDocument: () => disposable,
    workspaceFolders: [{ name: 'ws', uri: new Uri('/ws'), index: 0 }],
    asRelativePath: (u: Uri) => u.fsPath.replace(/^\/ws\//, ''),
  },
  commands: {
    registerCommand: (id: string, f: Fn) => (commands.set(id, f), disposable),
    executeCommand: async (...args: unknown[]) => executed.push(args),
  },
  tasks: { registerTaskProvider: (type: string, p: never) => (taskProviders.set(type, p), disposable) },
};

const client: { options?: Record<string, unknown>; server?: Record<string, unknown>; handlers: Map<string, Fn>; state?: Fn; calls: unknown[][] } = { handlers: new Map(), calls: [] };
const languageclient = {
  TransportKind: { stdio: 0, ipc: 1 },
  RevealOutputChannelOn: { Debug: 0, Info: 1, Warn: 2, Error: 3, Never: 4 },
  State: { Stopped: 1, Starting: 3, Running: 2 },
  ExecuteCommandRequest: { type: { method: 'workspace/executeCommand' } },
  NotificationType: class {
    constructor(readonly method: string) {}
  },
  LanguageClient: class {
    constructor(_id: string, _name: string, server: Record<string, unknown>, options: Record<string, unknown>) {
      client.server = server;
      client.options = options;
    }
    onNotification(type: { method: string }, f: Fn) {
      client.handlers.set(type.method, f);
      return disposable;
    }
    onDidChangeState(f: Fn) {
      client.state = f;
      return disposable;
    }
    isRunning() {
      return true;
    }
    async start() {
      client.calls.push(['start']);
    }
    async restart() {
      client.calls.push(['restart']);
    }
    async sendRequest(type: { method: string } | string, params: unknown) {
      client.calls.push([typeof type === 'string' ? type : type.method, params]);
      return null;
    }
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };
const original = mod._load;
beforeAll(() => {
  mod._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return languageclient;
    return original.call(this, request, parent, isMain);
  };
});
afterAll(() => {
  mod._load = original;
});

describe('the VS Code extension', () => {
  it('activates: IPC server, settings per resource, a silent output channel, commands, a task type', async () => {
    const extension = createRequire(__filename)(resolve(ROOT, 'out/client/src/extension.js')) as { activate: (c: unknown) => Promise<void> };
    const subscriptions: unknown[] = [];
    await extension.activate({ subscriptions, extensionPath: ROOT, asAbsolutePath: (p: string) => resolve(ROOT, p) });
    expect(client.calls).toEqual([['start']]);
    expect(client.server).toMatchObject({ run: { module: resolve(ROOT, 'out/server/src/lsp/main.js'), transport: 1 } });
    expect(client.options).toMatchObject({ revealOutputChannelOn: 4, synchronize: { configurationSection: 'dmaLint' }, initializationOptions: { statusNotification: true } });
    expect((client.options?.outputChannel as { opts: unknown }).opts).toEqual({ log: true });
    expect([...commands.keys()].sort()).toEqual(['dmaLint.explainFinding', 'dmaLint.recheckWorkspace', 'dmaLint.restartServer', 'dmaLint.showOutputChannel', 'dmaLint.showRuleDocs']);
    expect(subscriptions.length).toBeGreaterThan(5);
  });

  it('the language status item follows dmaLint/status and the client state; a click opens the output', async () => {
    expect(statusItem).toMatchObject({ name: 'DMA Lint', text: 'DMA Lint: idle', selector: [{ language: 'c' }], command: { command: 'dmaLint.showOutputChannel' } });
    const send = client.handlers.get('dmaLint/status')!;
    send({ uri: 'file:///a.c', state: 'analysing' });
    expect(statusItem).toMatchObject({ text: 'DMA Lint: analysing', busy: true });
    send({ uri: 'file:///a.c', state: 'idle', ms: 12.5, version: 3, diagnostics: 2 });
    expect(statusItem).toMatchObject({ text: 'DMA Lint: idle', busy: false, severity: 0 });
    expect(statusItem.detail).toMatch(/^last analysis 12\.5 ms at .+, 2 findings$/);
    send({ uri: 'file:///a.c', state: 'error', ms: 1, message: 'DMA Lint: analysis of file:///a.c failed' });
    expect(statusItem).toMatchObject({ text: 'DMA Lint: error', severity: 2 });
    expect(statusItem.detail).toContain('analysis of file:///a.c failed');
    client.state!({ oldState: 2, newState: 1 });
    expect(statusItem).toMatchObject({ text: 'DMA Lint: error' });
    client.state!({ oldState: 1, newState: 3 });
    expect(statusItem).toMatchObject({ text: 'DMA Lint: idle' });
    await commands.get('dmaLint.showOutputChannel')!();
    expect(executed).toContainEqual(['output.show']);
  });

  it('recheck asks the server; restart restarts the client', async () => {
    await commands.get('dmaLint.recheckWorkspace')!();
    expect(client.calls).toContainEqual(['workspace/executeCommand', { command: 'dma-lint.recheck' }]);
    await commands.get('dmaLint.restartServer')!();
    expect(client.calls).toContainEqual(['restart']);
  });

  it('rule docs: the rule under the cursor, else the first picked rule', async () => {
    const position = { line: 4, character: 9 };
    const range = { start: { line: 4, character: 5 }, end: { line: 4, character: 19 }, contains: () => true };
    activeEditor = { document: { uri: new Uri('/ws/a.c') }, selection: { active: position } };
    diagnostics = [{ source: 'dma-lint', range, code: { value: 'dma/leak-on-error-path', target: new Uri('/x') } }];
    await commands.get('dmaLint.showRuleDocs')!();
    const last = executed.at(-1) as [string, Uri];
    expect(last[0]).toBe('markdown.showPreview');
    expect(last[1].fsPath).toBe(resolve(ROOT, 'docs/rules/dma-leak-on-error-path.md'));
    activeEditor = undefined;
    await commands.get('dmaLint.showRuleDocs')!();
    expect((executed.at(-1) as [string, Uri])[1].fsPath).toBe(resolve(ROOT, 'docs/rules/dma-unchecked-map.md'));
  });

  it('explain finding: the finding under the cursor in a script-free webview; without data, asks the server', async () => {
    const range = { start: { line: 1, character: 1 }, end: { line: 1, character: 7 }, contains: () => true };
    const trace = [{ line: 2, event: 'CPU reads buf[0]', places: [{ platform: 'armv7', cache: 'old data', ram: 'device write #1', bounce: '-' }] }];
    activeEditor = { document: { uri: new Uri('/ws/a.c'), getText: () => 'x\n\ts = buf[0];\n' }, selection: { active: { line: 1, character: 3 } } };
    diagnostics = [{ source: 'dma-lint', range, severity: 0, message: 'reads <buf>', data: { rule: 'dma/cpu-access-while-device-owned', function: 'f', platforms: ['armv7'], trace } }];
    await commands.get('dmaLint.explainFinding')!();
    const panel = panels.at(-1)!;
    expect(panel.title).toBe('DMA Lint: dma/cpu-access-while-device-owned');
    expect(panel.options).toMatchObject({ enableScripts: false, enableCommandUris: ['dmaLint.showRuleDocs'], localResourceRoots: [] });
    expect(panel.webview.html).toMatch(/style-src 'nonce-[^']+'/);
    expect(panel.webview.html).toContain('reads &lt;buf&gt;');
    expect(panel.webview.html).toContain('<span class="pname">armv7</span>');
    expect(panel.webview.html).toContain('href="command:dmaLint.showRuleDocs?%5B%22dma%2Fcpu-access-while-device-owned%22%5D"');
    diagnostics = [{ source: 'dma-lint', range, severity: 0, message: 'reads buf' }];
    await commands.get('dmaLint.explainFinding')!();
    expect(client.calls.at(-1)).toEqual(['dmaLint/explain', { uri: 'file:///ws/a.c', position: { line: 1, character: 3 } }]);
    activeEditor = undefined;
  });

  it('provides an lsp-check task per workspace folder with the $dma-lint matcher', () => {
    const [task] = taskProviders.get('dma-lint')!.provideTasks();
    expect(task.name).toBe('check ws');
    expect(task.problemMatchers).toEqual(['$dma-lint']);
    expect(task.execution.args).toEqual([resolve(ROOT, 'bin/lsp-check.js'), '--format', 'gcc', '.']);
  });
});
