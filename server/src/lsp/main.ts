import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe=', '--clientProcessId'];

function main(argv: string[]): void {
  if (argv.includes('--version')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir, so it is read at run time, not imported
    process.stdout.write(`${(require('../../../../package.json') as { version: string }).version}\n`);
    return;
  }
  if (argv.includes('--help') || !argv.some((a) => TRANSPORTS.some((t) => a.startsWith(t)))) {
    process.stderr.write('usage: dma-lint-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
    process.exitCode = argv.includes('--help') ? 0 : 2;
    return;
  }
  const connection = createConnection(ProposedFeatures.all);
  // A bug in one handler must not take the server down for every other document.
  process.on('uncaughtException', (e) => connection.console.error(`uncaught exception: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  startServer(connection);
}

main(process.argv.slice(2));
