import { availableParallelism } from 'node:os';
import { PLATFORMS, type Platform, type Severity } from '../../../shared/src/findings';

export type Format = 'gcc' | 'json' | 'sarif';

export interface Options {
  paths: string[];
  format: Format;
  jobs: number;
  timeoutMs: number;
  platforms?: Platform[];
  config?: string;
  maxWarnings?: number;
  failOn: Severity;
  quiet: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export const HELP = `usage: lsp-check [options] <paths...>

Runs the DMA Lint language server over C files (directories are searched recursively
for *.c and *.h) and prints its diagnostics.

options:
  --format gcc|json|sarif   output format on stdout (default: gcc)
  --jobs N                  server processes to run in parallel (default: number of cores)
  --timeout-ms N            per-file timeout; the file fails and its server restarts (default: 60000)
  --platform a,b            platforms to model (${PLATFORMS.join(', ')})
  --config FILE             use this .dmalint.json instead of the nearest one
  --fail-on LEVEL           error|warning|info: lowest severity that makes the exit code 1 (default: info)
  --max-warnings N          exit 1 when there are more than N warnings
  --quiet                   no summary on stderr
  --list-rules              print the rule catalogue and exit
  --version                 print the version and exit
  --help                    print this help and exit

exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage, config or internal
error (a file that could not be analysed, a broken config).
`;

function int(name: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} expects an integer >= ${min}, got ${v === undefined ? 'nothing' : `'${v}'`}`);
  return Number(v);
}

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    paths: [],
    format: 'gcc',
    jobs: availableParallelism(),
    timeoutMs: 60000,
    failOn: 'info',
    quiet: false,
    listRules: false,
    version: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '--') {
      o.paths.push(...argv.slice(i + 1));
      break;
    }
    if (!raw.startsWith('--') || raw === '-') {
      o.paths.push(raw);
      continue;
    }
    const eq = raw.indexOf('=');
    const name = eq >= 0 ? raw.slice(0, eq) : raw;
    const inline = eq >= 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--format': {
        const v = value();
        if (v !== 'gcc' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format expects gcc, json or sarif, got '${v ?? ''}'`);
        o.format = v;
        break;
      }
      case '--jobs':
        o.jobs = int('--jobs', value(), 1);
        break;
      case '--timeout-ms':
        o.timeoutMs = int('--timeout-ms', value(), 1);
        break;
      case '--max-warnings':
        o.maxWarnings = int('--max-warnings', value(), 0);
        break;
      case '--platform':
      case '--platforms': {
        const v = value() ?? '';
        const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
        const bad = list.filter((p) => !(PLATFORMS as readonly string[]).includes(p));
        if (list.length === 0 || bad.length > 0) {
          throw new UsageError(`--platform: unknown platform${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ') || "''"}; known: ${PLATFORMS.join(', ')}`);
        }
        o.platforms = [...new Set(list)] as Platform[];
        break;
      }
      case '--config': {
        const v = value();
        if (!v) throw new UsageError('--config expects a file');
        o.config = v;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (v !== 'error' && v !== 'warning' && v !== 'info') throw new UsageError(`--fail-on expects error, warning or info, got '${v ?? ''}'`);
        o.failOn = v;
        break;
      }
      case '--quiet':
        o.quiet = true;
        break;
      case '--list-rules':
        o.listRules = true;
        break;
      case '--version':
        o.version = true;
        break;
      case '--help':
        o.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  return o;
}
