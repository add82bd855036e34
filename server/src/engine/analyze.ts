import type { DmaLintSettings } from '../../../shared/src/config';
import type { Finding } from '../../../shared/src/findings';

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the whole file was not analysed (too large, binary, ...): say why. */
  skipped?: string;
  /** Functions whose analysis was cut short by the work budget. */
  truncatedFunctions: string[];
}

/**
 * One open document's analysis state. The server keeps one per document so that an edit
 * re-parses incrementally and re-analyses only functions whose text changed; lsp-check
 * uses a fresh one per file. Call dispose() to free the tree-sitter tree.
 */
export class DocumentAnalyzer {
  constructor(readonly uri: string) {}

  update(text: string, settings: DmaLintSettings): AnalysisResult {
    void text;
    void settings;
    // Replaced by the real pipeline (mask -> parse -> CFG -> events -> executor -> rules).
    return { findings: [], truncatedFunctions: [] };
  }

  dispose(): void {}
}
