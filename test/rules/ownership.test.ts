import { runRuleCases } from './rule-tester';
import cpuAccessWhileDeviceOwned from './cases/cpu-access-while-device-owned.cases';
import missingSyncForDevice from './cases/missing-sync-for-device.cases';
import cpuWriteFromDeviceBuffer from './cases/cpu-write-from-device-buffer.cases';

// The rules the ownership simulation answers over the platform models.
runRuleCases(cpuAccessWhileDeviceOwned);
runRuleCases(missingSyncForDevice);
runRuleCases(cpuWriteFromDeviceBuffer);
