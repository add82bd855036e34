import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { type InputFile, readSource } from './files';
import { FileFailure, ServerProcess, type ServerSettings } from './server-process';

export type FileOutcome =
  | { file: InputFile; kind: 'done'; uri: string; text: string; diagnostics: Diagnostic[]; cached?: boolean; messaged?: boolean }
  | { file: InputFile; kind: 'binary' }
  | { file: InputFile; kind: 'failed'; reason: string };

export interface PoolOptions {
  jobs: number;
  timeoutMs: number;
  settings: ServerSettings;
  onMessage: (type: number, message: string) => void;
  /** Called as soon as a file is done (for progress / early stderr notes). */
  onOutcome?: (o: FileOutcome) => void;
}

/**
 * Runs `jobs` servers, each taking the next file from a shared queue. A server that times
 * out or dies is replaced; its file is reported as failed and the others go on.
 */
export async function runPool(files: readonly InputFile[], opts: PoolOptions): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array<FileOutcome>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    let server: ServerProcess | undefined;
    try {
      while (next < files.length) {
        const index = next++;
        const file = files[index];
        const outcome = await checkOne(file, async () => {
          if (!server || !server.alive) {
            server?.kill();
            server = new ServerProcess(opts.settings, opts.onMessage);
            await server.start();
          }
          return server;
        }, opts.timeoutMs);
        if (outcome.kind === 'failed') {
          server?.kill();
          server = undefined;
        }
        outcomes[index] = outcome;
        opts.onOutcome?.(outcome);
      }
    } finally {
      await server?.stop();
    }
  };
  const n = Math.max(1, Math.min(opts.jobs, files.length));
  await Promise.all(Array.from({ length: n }, () => worker()));
  return outcomes;
}

async function checkOne(file: InputFile, server: () => Promise<ServerProcess>, timeoutMs: number): Promise<FileOutcome> {
  const content = readSource(file.absolute);
  if (content.kind === 'binary') return { file, kind: 'binary' };
  if (content.kind === 'error') return { file, kind: 'failed', reason: content.message };
  const uri = pathToFileURL(file.absolute).href;
  try {
    const s = await server();
    const before = s.messages;
    const diagnostics = await s.check(uri, content.text, timeoutMs);
    return { file, kind: 'done', uri, text: content.text, diagnostics, messaged: s.messages !== before };
  } catch (e) {
    if (!(e instanceof FileFailure)) throw e;
    return { file, kind: 'failed', reason: e.message };
  }
}
