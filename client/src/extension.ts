import type { ExtensionContext } from 'vscode';
import { workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

/**
 * The VS Code side is deliberately thin: everything an editor needs lives in the server,
 * so Neovim, Emacs and lsp-check get the same product. Settings reach the server through
 * workspace/configuration (section `dmaLint`); `.dmalint.json` changes are forwarded as
 * watched-file events so open documents are re-analysed.
 */
let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
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
  };
  client = new LanguageClient('dmaLint', 'DMA Lint', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
