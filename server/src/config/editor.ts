import { isRecord, type SettingsLayer, stripUndefined, validateBoolean, validateIncludePaths, validateMacros, validatePlatforms, validatePositiveInt, validateRules, validateWrappers } from './validate';

export type RunMode = 'onType' | 'onSave';

/**
 * The `dmaLint` settings section as an editor (or lsp-check, through initializationOptions)
 * sends it. Unlike `.dmalint.json`, unknown keys are ignored: clients add their own
 * (`dmaLint.trace.server` from vscode-languageclient) and send defaults for all of them.
 * `null` means "not set" so the editor's defaults do not mask `.dmalint.json`.
 */
export interface EditorSettings {
  layer: SettingsLayer;
  run: RunMode;
  debounceMs: number;
  configFile?: string;
}

export const DEFAULT_DEBOUNCE_MS = 75;

export function parseEditorSettings(raw: unknown, errors: string[]): EditorSettings {
  const out: EditorSettings = { layer: {}, run: 'onType', debounceMs: DEFAULT_DEBOUNCE_MS };
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) {
    errors.push(`dmaLint: expected an object of settings, got ${JSON.stringify(raw)}`);
    return out;
  }
  const key = (k: string) => `dmaLint.${k}`;
  const set = (k: string): boolean => raw[k] !== undefined && raw[k] !== null;
  if (set('enable')) {
    if (typeof raw.enable === 'boolean') out.layer.enable = raw.enable;
    else errors.push(`${key('enable')}: expected true or false, got ${JSON.stringify(raw.enable)}`);
  }
  if (set('run')) {
    if (raw.run === 'onType' || raw.run === 'onSave') out.run = raw.run;
    else errors.push(`${key('run')}: expected "onType" or "onSave", got ${JSON.stringify(raw.run)}`);
  }
  if (set('debounceMs')) {
    const d = raw.debounceMs;
    if (typeof d === 'number' && Number.isFinite(d) && d >= 0) out.debounceMs = Math.floor(d);
    else errors.push(`${key('debounceMs')}: expected a number >= 0, got ${JSON.stringify(d)}`);
  }
  if (set('configFile')) {
    if (typeof raw.configFile === 'string') {
      if (raw.configFile !== '') out.configFile = raw.configFile;
    } else errors.push(`${key('configFile')}: expected a path, got ${JSON.stringify(raw.configFile)}`);
  }
  if (set('platforms')) {
    // An empty list is what an editor shows for "unset".
    if (!(Array.isArray(raw.platforms) && raw.platforms.length === 0)) {
      out.layer.platforms = validatePlatforms(raw.platforms, key('platforms'), errors);
    }
  }
  if (set('rules')) out.layer.rules = validateRules(raw.rules, key('rules'), errors);
  if (set('wrappers')) out.layer.wrappers = validateWrappers(raw.wrappers, key('wrappers'), errors);
  if (set('macros')) out.layer.macros = validateMacros(raw.macros, key('macros'), errors);
  if (set('kconfigPlatforms')) out.layer.kconfigPlatforms = validateBoolean(raw.kconfigPlatforms, key('kconfigPlatforms'), errors);
  if (set('maxFileBytes')) out.layer.maxFileBytes = validatePositiveInt(raw.maxFileBytes, key('maxFileBytes'), errors);
  // An empty list is what an editor shows for "unset".
  if (set('includePaths') && !(Array.isArray(raw.includePaths) && raw.includePaths.length === 0)) {
    out.layer.includePaths = validateIncludePaths(raw.includePaths, key('includePaths'), errors);
  }
  stripUndefined(out.layer);
  return out;
}
