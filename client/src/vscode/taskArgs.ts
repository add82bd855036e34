/**
 * The `dma-lint` task type (package.json `taskDefinitions`): runs lsp-check, the CLI that
 * drives the bundled server headless, with gcc-style output for the `$dma-lint` problem
 * matcher. Kept free of the vscode API so it can be tested directly.
 */
export interface LspCheckTaskDefinition {
  type: 'dma-lint';
  /** Files or directories, relative to the workspace folder (default: the whole folder). */
  paths?: string[];
  platforms?: string[];
  failOn?: 'error' | 'warning' | 'info';
  config?: string;
  jobs?: number;
}

export const TASK_TYPE = 'dma-lint';

export function lspCheckArgs(def: LspCheckTaskDefinition): string[] {
  const args = ['--format', 'gcc'];
  if (def.jobs !== undefined) args.push('--jobs', String(def.jobs));
  if (def.platforms && def.platforms.length > 0) args.push('--platform', def.platforms.join(','));
  if (def.failOn) args.push('--fail-on', def.failOn);
  if (def.config) args.push('--config', def.config);
  args.push(...(def.paths && def.paths.length > 0 ? def.paths : ['.']));
  return args;
}
