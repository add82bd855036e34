import { commands, type ExtensionContext, type LogOutputChannel, tasks, window, workspace } from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  NotificationType,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { RECHECK_COMMAND, STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from '../../shared/src/protocol';
import { explainFinding } from './vscode/explain';
import { showRuleDocs } from './vscode/ruleDocs';
import { StatusItem } from './vscode/status';
import { TASK_TYPE } from './vscode/taskArgs';
import { LspCheckTaskProvider } from './vscode/tasks';

/**
 * The VS Code side is deliberately thin: everything an editor needs lives in the server,
 * so Neovim, Emacs and lsp-check get the same product. Settings reach the server through
 * workspace/configuration (section `dmaLint`); `.dmalint.json` changes are forwarded as
 * watched-file events so open documents are re-analysed. What is VS Code only: a language
 * status item, commands (re-check, restart, rule pages, the explain panel), and a task type for lsp-check.
 */
let client: LanguageClient | undefined;

const SHOW_OUTPUT = 'dmaLint.showOutputChannel';
const STATUS = new NotificationType<StatusParams>(STATUS_NOTIFICATION);

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('DMA Lint', { log: true });
  const status = new StatusItem(SHOW_OUTPUT);
  const lc = createClient(context, output);
  client = lc;
  context.subscriptions.push(
    output,
    status,
    lc.onNotification(STATUS, (p) => status.update(p)),
    lc.onDidChangeState((e) => {
      if (e.newState === State.Starting) status.reset();
      status.server(e.newState === State.Stopped ? 'the DMA Lint server is not running (see the output)' : undefined);
    }),
    workspace.onDidCloseTextDocument((d) => status.forget(d.uri.toString())),
    commands.registerCommand(SHOW_OUTPUT, () => output.show(true)),
    commands.registerCommand('dmaLint.recheckWorkspace', async () => {
      if (!lc.isRunning()) {
        void window.showWarningMessage('DMA Lint: the server is not running; use "DMA Lint: Restart Server".');
        return;
      }
      await lc.sendRequest(ExecuteCommandRequest.type, { command: RECHECK_COMMAND });
    }),
    // a rule id argument comes from the rule links of the explain panel
    commands.registerCommand('dmaLint.showRuleDocs', (rule?: unknown) => showRuleDocs(context, typeof rule === 'string' ? rule : undefined)),
    commands.registerCommand('dmaLint.explainFinding', () => explainFinding(context, lc)),
    commands.registerCommand('dmaLint.restartServer', async () => {
      output.info('Restarting the DMA Lint server.');
      await (lc.isRunning() ? lc.restart() : lc.start());
    }),
    tasks.registerTaskProvider(TASK_TYPE, new LspCheckTaskProvider(context)),
  );
  await lc.start();
}

function createClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('out/server/src/lsp/main.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { scheme: 'untitled', language: 'c' },
    ],
    synchronize: {
      configurationSection: 'dmaLint',
      fileEvents: workspace.createFileSystemWatcher('**/.dmalint.json'),
    },
    initializationOptions: { [STATUS_OPT_IN]: true },
    outputChannel: output,
    // Problems of the linter go to the log; a channel that pops up while typing is worse.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient('dmaLint', 'DMA Lint', serverOptions, clientOptions);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
