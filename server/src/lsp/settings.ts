import { isAbsolute, resolve } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { DmaLintSettings } from '../../../shared/src/config';
import { type EditorSettings, parseEditorSettings } from '../config/editor';
import { absolutePaths, resolveSettings } from '../config/load';
import type { ClientFeatures } from './capabilities';
import type { Notifier } from './messages';
import { uriToPath } from './uri';

export const SECTION = 'dmaLint';

export interface DocumentSettings {
  settings: DmaLintSettings;
  editor: EditorSettings;
}

/**
 * Settings for one document: the editor's `dmaLint` section (asked per document through
 * workspace/configuration when the client can answer, else initializationOptions.settings
 * or the last didChangeConfiguration payload), merged as
 *   defaults <- nearest (or configured) .dmalint.json <- editor settings.
 * Editor sections are cached per document until the configuration changes; the config
 * file is re-checked on every analysis (cached by mtime in config/load.ts).
 */
export class SettingsProvider {
  private readonly editorCache = new Map<string, Promise<EditorSettings>>();
  private readonly lastEditor = new Map<string, EditorSettings>();
  private pushed: unknown;
  /** Bumped on every configuration change; analysis results remember the generation. */
  generation = 0;

  constructor(
    private readonly connection: Connection,
    private readonly features: ClientFeatures,
    private readonly notifier: Notifier,
    public workspaceFolders: string[],
    private readonly initSettings: unknown,
  ) {}

  /** didChangeConfiguration: clients without workspace/configuration push the section here. */
  changed(payload: unknown): void {
    if (!this.features.configuration && typeof payload === 'object' && payload !== null && SECTION in payload) {
      this.pushed = (payload as Record<string, unknown>)[SECTION];
    }
    this.editorCache.clear();
    this.generation++;
  }

  /** Editor settings seen last for a document (for debounce timing, which cannot wait). */
  peek(uri: string): EditorSettings | undefined {
    return this.lastEditor.get(uri);
  }

  forget(uri: string): void {
    this.editorCache.delete(uri);
    this.lastEditor.delete(uri);
  }

  async forDocument(uri: string): Promise<DocumentSettings> {
    let pending = this.editorCache.get(uri);
    if (!pending) {
      pending = this.fetchEditor(uri);
      this.editorCache.set(uri, pending);
    }
    const editor = await pending;
    this.lastEditor.set(uri, editor);
    const filePath = uriToPath(uri);
    const { settings, errors } = resolveSettings({
      filePath,
      workspaceFolders: this.workspaceFolders,
      configFile: editor.configFile && this.absoluteConfigPath(editor.configFile, filePath),
      overrides: editor.layer.includePaths ? { ...editor.layer, includePaths: absolutePaths(editor.layer.includePaths, this.baseDir(filePath)) } : editor.layer,
    });
    if (errors.length > 0) {
      this.notifier.error(`DMA Lint configuration problems:\n  ${errors.join('\n  ')}`);
      this.notifier.showErrorOnce(`DMA Lint: ${errors.join('; ')} (the rest of the configuration is used)`);
    }
    return { settings, editor };
  }

  private absoluteConfigPath(p: string, filePath: string | undefined): string {
    if (isAbsolute(p)) return p;
    return resolve(this.baseDir(filePath), p);
  }

  /** What a relative path in the editor's settings is relative to: the file's workspace folder. */
  private baseDir(filePath: string | undefined): string {
    return this.workspaceFolders.find((f) => filePath?.startsWith(f)) ?? this.workspaceFolders[0] ?? process.cwd();
  }

  private async fetchEditor(uri: string): Promise<EditorSettings> {
    let raw: unknown = this.pushed ?? this.initSettings;
    if (this.features.configuration) {
      try {
        raw = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION })) as unknown;
      } catch (e) {
        this.notifier.error(`workspace/configuration failed for ${uri}; using defaults`, e);
        raw = undefined;
      }
    }
    const errors: string[] = [];
    const editor = parseEditorSettings(raw, errors);
    if (errors.length > 0) {
      this.notifier.error(`DMA Lint settings problems:\n  ${errors.join('\n  ')}`);
      this.notifier.showErrorOnce(`DMA Lint: invalid settings: ${errors.join('; ')} (ignored)`);
    }
    return editor;
  }
}
