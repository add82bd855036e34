/**
 * Plain data that crosses process boundaries: the engine produces it, the language server
 * turns it into LSP diagnostics, and lsp-check reads it back from them. No tree-sitter here.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Platform names are part of the public interface (RULES.md, "Platform names"). */
export const PLATFORMS = ['coherent', 'armv7', 'arm64', 'arm64-pre-5.19', 'swiotlb'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** 0-based line and UTF-16 character, exactly as LSP positions. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedSite {
  range: Range;
  message: string;
  /** Absent: the same document as the finding. */
  uri?: string;
}

/** A text edit in the analysed document; ranges are in the document the finding came from. */
export interface TextEditData {
  range: Range;
  newText: string;
}

export interface FixData {
  title: string;
  edits: TextEditData[];
}

/**
 * One step of a coherence finding's proof: an event on the path and, per platform, what
 * the CPU cache, RAM and the bounce slot hold after it.
 */
export interface TraceStep {
  line: number;
  event: string;
  places: { platform: Platform; cache: string; ram: string; bounce: string }[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Name of the enclosing function definition ('' at file scope). */
  function: string;
  /** Platforms on which the hazard corrupts data; empty for API misuse that is wrong everywhere. */
  platforms: Platform[];
  related: RelatedSite[];
  fix?: FixData;
  /** For findings of the memory-model simulation: the steps that prove it. */
  trace?: TraceStep[];
}
