import { runRuleCases } from './rule-tester';
import overlapConflict from './cases/overlap-conflict.cases';
import cachelineSharing from './cases/cacheline-sharing.cases';

// Rules about memory two users share: two live mappings, or a buffer and its struct neighbours.
runRuleCases(overlapConflict);
runRuleCases(cachelineSharing);
