import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { PLATFORMS, type Platform, type Severity } from '../../../shared/src/findings';

export type Format = 'gcc' | 'json' | 'sarif' | 'html';

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
  /** `--explain`: print each coherence finding's trace under it (gcc format). */
  explain: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
  /** `--cache[=DIR]`: the cache directory, when caching. */
  cache?: string;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  exitZero: boolean;
  /** `-DNAME[=VALUE]` from a compiler-style command line (last one wins; `-U` removes). */
  defines?: Record<string, string>;
  /** Compiler flags were given (a `make C=2 CHECK=lsp-check` invocation). */
  compilerStyle: boolean;
  /** `-I DIR` from a compiler-style command line, absolute: searched for headers with struct layouts. */
  includePaths?: string[];
}

export const DEFAULT_CACHE_DIR = '.dma-lint-cache';

export class UsageError extends Error {}

export const HELP = `usage: lsp-check [options] <paths...>

Runs the DMA Lint language server over C files (directories are searched recursively
for *.c and *.h) and prints its diagnostics.

options:
  --format gcc|json|sarif|html
                            output format on stdout (default: gcc); html: a self-contained page,
                            memory-model findings with their traces drawn per platform
  --jobs N                  server processes to run in parallel (default: number of cores)
  --timeout-ms N            per-file timeout; the file fails and its server restarts (default: 60000)
  --platform a,b            platforms to model (${PLATFORMS.join(', ')})
  --config FILE             use this .dmalint.json instead of the nearest one
  --fail-on LEVEL           error|warning|info: lowest severity that makes the exit code 1 (default: info)
  --max-warnings N          exit 1 when there are more than N warnings
  --quiet                   no summary or progress on stderr
  --explain                 print under each memory-model finding the steps that prove it, per platform
  --cache[=DIR]             reuse results of unchanged files (default DIR: ${DEFAULT_CACHE_DIR})
  --baseline FILE           suppress, per file and rule, up to the count recorded in FILE
  --write-baseline FILE     record the current findings' counts in FILE and exit 0
  --changed-since REV       only report findings on lines changed since git revision REV
  --exit-zero               findings do not make the exit status 1 (errors still give 2)
  --list-rules              print the rule catalogue and exit
  --version                 print the version and exit
  --help                    print this help and exit

compiler-style flags (make C=2 CHECK=lsp-check): -DNAME[=VALUE] and -UNAME set preprocessor
defines for #if; -IDIR adds DIR to the directories searched for headers that define the struct
of a mapped member (the file's own directory always is); -include, -isystem, -W..., -f..., -m...,
-O2, -std=..., -o FILE and other gcc flags are accepted and ignored; the last argument is the
file to check.

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
    explain: false,
    listRules: false,
    version: false,
    help: false,
    exitZero: false,
    compilerStyle: false,
  };
  let lastIsPath = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    lastIsPath = false;
    if (raw === '--') {
      o.paths.push(...argv.slice(i + 1));
      lastIsPath = i + 1 < argv.length;
      break;
    }
    if (!raw.startsWith('-') || raw === '-') {
      o.paths.push(raw);
      lastIsPath = true;
      continue;
    }
    if (!raw.startsWith('--')) {
      i = compilerFlag(argv, i, o);
      continue;
    }
    const eq = raw.indexOf('=');
    const name = eq >= 0 ? raw.slice(0, eq) : raw;
    const inline = eq >= 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--format': {
        const v = value();
        if (v !== 'gcc' && v !== 'json' && v !== 'sarif' && v !== 'html') throw new UsageError(`--format expects gcc, json, sarif or html, got '${v ?? ''}'`);
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
      case '--cache':
        if (inline === '') throw new UsageError('--cache= expects a directory');
        o.cache = inline ?? DEFAULT_CACHE_DIR;
        break;
      case '--baseline':
      case '--write-baseline':
      case '--changed-since': {
        const v = value();
        if (!v) throw new UsageError(`${name} expects ${name === '--changed-since' ? 'a git revision' : 'a file'}`);
        if (name === '--baseline') o.baseline = v;
        else if (name === '--write-baseline') o.writeBaseline = v;
        else o.changedSince = v;
        break;
      }
      case '--exit-zero':
        o.exitZero = true;
        break;
      // Long options of compilers and of sparse that kbuild puts on a checker's command line.
      case '--param':
        o.compilerStyle = true;
        if (inline === undefined) i++;
        break;
      case '--arch':
      case '--os':
      case '--target':
      case '--gcc-toolchain':
      case '--sysroot':
        o.compilerStyle = true;
        if (inline === undefined) throw new UsageError(`${name} (a compiler option) is only accepted as ${name}=VALUE`);
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--explain':
        o.explain = true;
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
  if (o.compilerStyle && lastIsPath) o.paths = [argv[argv.length - 1]];
  return o;
}

/** gcc flags whose value is the next argument when given alone (`-I dir`, `-include file`). */
const VALUE_FLAGS = new Set([
  '-I', '-D', '-U', '-o', '-x', '-L', '-l', '-T', '-u', '-z', '-A',
  '-include', '-imacros', '-isystem', '-idirafter', '-iquote', '-iprefix', '-iwithprefix', '-iwithprefixbefore',
  '-isysroot', '-imultilib', '-MF', '-MT', '-MQ', '-Xclang', '-Xpreprocessor', '-Xassembler', '-Xlinker', '-aux-info',
]);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A single-dash argument is a compiler flag: accepted and ignored, except `-D` and `-U`,
 * which set preprocessor defines. Returns the index of the last argument consumed.
 */
function compilerFlag(argv: readonly string[], i: number, o: Options): number {
  const raw = argv[i];
  o.compilerStyle = true;
  let next = i;
  let value: string | undefined;
  if (VALUE_FLAGS.has(raw)) {
    next = i + 1;
    value = argv[next];
    if (value === undefined) throw new UsageError(`${raw} expects a value`);
  }
  const letter = raw.slice(0, 2);
  if (letter === '-I' && !raw.startsWith('-include')) {
    const dir = value ?? raw.slice(2);
    if (dir !== '') (o.includePaths ??= []).push(resolve(dir));
  }
  if (letter === '-D' || letter === '-U') {
    const arg = value ?? raw.slice(2);
    const eq = arg.indexOf('=');
    const nameOf = eq >= 0 ? arg.slice(0, eq) : arg;
    // Function-like macros (-DF(x)=...) cannot be expressed as a define; ignored.
    if (IDENT.test(nameOf)) {
      o.defines ??= {};
      if (letter === '-D') o.defines[nameOf] = eq >= 0 ? arg.slice(eq + 1) : '1';
      else delete o.defines[nameOf];
    }
  }
  return next;
}
