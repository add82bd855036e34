import type { Rule } from './rule';
import { uncheckedMap } from './unchecked-map';
import { wrongErrorTest } from './wrong-error-test';
import { leakOnErrorPath } from './leak-on-error-path';
import { doubleUnmap } from './double-unmap';
import { useAfterUnmap } from './use-after-unmap';
import { unmapErrorHandle } from './unmap-error-handle';
import { unmapDirectionMismatch } from './unmap-direction-mismatch';
import { unmapSizeMismatch } from './unmap-size-mismatch';
import { unmapTypeMismatch } from './unmap-type-mismatch';
import { syncDirectionMismatch } from './sync-direction-mismatch';
import { sgNentsMismatch } from './sg-nents-mismatch';
import { directionNone } from './direction-none';
import { stackBuffer, staticBuffer, vmallocBuffer } from './buffer-origin-rules';
import { syncNonDmaHandle } from './sync-non-dma-handle';
import { syncCoherentMemory } from './sync-coherent-memory';
import { syncOutOfRange } from './sync-out-of-range';
import { coherentFreeMismatch } from './coherent-free-mismatch';
import { skipCpuSyncWithoutManualSync } from './skip-cpu-sync-without-manual-sync';
import { overlapConflict } from './overlap-conflict';
import { cachelineSharing } from './cacheline-sharing';
import { cpuAccessWhileDeviceOwned, cpuWriteFromDeviceBuffer, missingSyncForDevice } from './ownership-rules';
import { asyncTxAckThenDepend, asyncTxCpuAccessBeforeCompletion, asyncTxFanoutDependency, asyncTxMissingFence, asyncTxStaleIntermediate, asyncTxSubmitInCallback, asyncTxXorDstFlags } from './async-tx-rules';

/** Every implemented rule. Adding a rule: a module here, its meta in meta.ts, its cases. */
export const ALL_RULES: readonly Rule[] = [
  uncheckedMap,
  wrongErrorTest,
  leakOnErrorPath,
  doubleUnmap,
  useAfterUnmap,
  unmapErrorHandle,
  unmapDirectionMismatch,
  unmapSizeMismatch,
  unmapTypeMismatch,
  syncDirectionMismatch,
  sgNentsMismatch,
  directionNone,
  stackBuffer,
  vmallocBuffer,
  staticBuffer,
  syncNonDmaHandle,
  syncCoherentMemory,
  syncOutOfRange,
  coherentFreeMismatch,
  skipCpuSyncWithoutManualSync,
  cpuAccessWhileDeviceOwned,
  missingSyncForDevice,
  cpuWriteFromDeviceBuffer,
  overlapConflict,
  cachelineSharing,
  asyncTxMissingFence,
  asyncTxStaleIntermediate,
  asyncTxCpuAccessBeforeCompletion,
  asyncTxAckThenDepend,
  asyncTxFanoutDependency,
  asyncTxXorDstFlags,
  asyncTxSubmitInCallback,
];
