import { runRuleCases, type RuleCases } from './rule-tester';
import cpuAccessWhileDeviceOwned from './cases/cpu-access-while-device-owned.cases';
import missingSyncForDevice from './cases/missing-sync-for-device.cases';
import cpuWriteFromDeviceBuffer from './cases/cpu-write-from-device-buffer.cases';
import { CORPUS_REGRESSIONS } from './cases/corpus-regressions';

// The rules the ownership simulation answers over the platform models, with the must-not
// cases found on the real kernel.
const withRegressions = (r: RuleCases): RuleCases => ({ ...r, valid: [...r.valid, ...(CORPUS_REGRESSIONS[r.rule] ?? [])] });
runRuleCases(withRegressions(cpuAccessWhileDeviceOwned));
runRuleCases(withRegressions(missingSyncForDevice));
runRuleCases(withRegressions(cpuWriteFromDeviceBuffer));
