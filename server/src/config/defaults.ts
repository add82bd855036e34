import type { DmaLintSettings } from '../../../shared/src/config';
import { PLATFORMS } from '../../../shared/src/findings';

/** Settings used when neither the editor nor `.dmalint.json` says otherwise. */
export function defaultSettings(): DmaLintSettings {
  return {
    enable: true,
    rules: {},
    platforms: [...PLATFORMS],
    wrappers: {},
    macros: {},
    maxFileBytes: 4 * 1024 * 1024,
    maxStepsPerFunction: 20000,
    includePaths: [],
    kconfigPlatforms: true,
  };
}
