import type { Platform, Severity } from './findings';

export type RuleSetting = 'off' | Severity;

/**
 * How a driver-local function behaves, for functions analysis cannot see into
 * (declared in headers or other files). `as` names a catalogue entry (for example
 * `dma_map_single`); `args` gives, for each argument of the catalogue entry, the index of
 * the wrapper's own argument that supplies it (-1: not supplied).
 */
export interface WrapperSpec {
  as: string;
  args: number[];
}

export interface MacroSettings {
  /** Annotation macros without arguments, blanked before parsing (`__iomem`). */
  annotations?: string[];
  /** Annotation macros with a parenthesised argument list, blanked with it (`__aligned(8)`). */
  annotationsWithArgs?: string[];
  /** Iterator macros used as loop heads, rewritten to `while` (`list_for_each_entry(...)`). */
  iterators?: string[];
  /** Preprocessor symbols taken as defined (1) when evaluating `#if`. */
  defines?: Record<string, string>;
}

/** The fully resolved settings one analysis runs with. */
export interface DmaLintSettings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  platforms: Platform[];
  wrappers: Record<string, WrapperSpec>;
  macros: MacroSettings;
  /** Files larger than this are skipped with an info diagnostic. */
  maxFileBytes: number;
  /** Work budget per function (executor steps) before analysis of it gives up quietly. */
  maxStepsPerFunction: number;
  /**
   * Directories searched for `#include` files when a struct's layout is not in the analysed
   * file (besides the file's own directory), absolute. `.dmalint.json` `includePaths`, the
   * editor's `dmaLint.includePaths`, `-I` flags of a `make C=2` command line.
   */
  includePaths: string[];
  /**
   * In a kernel tree, drop the platforms the file's Kconfig cannot build it for (armv7
   * without ARM, arm64 without ARM64) from memory-model findings. `.dmalint.json`
   * `kconfigPlatforms`, the editor's `dmaLint.kconfigPlatforms`.
   */
  kconfigPlatforms: boolean;
}
