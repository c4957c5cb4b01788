import type { Orchestrator } from '../contract/orchestrator';
import { basic } from './basic';
import { router } from './router';
import { parallel } from './parallel';
import { collection } from './collection';
import { composite } from './composite';
import { aggregate } from './aggregate';
import { wait } from './wait';
import { signal } from './signal';
import { loop } from './loop';
import { specSession } from './spec-session';
import { subflow } from './subflow';

/** The built-in task types, in the order `builtinTaskTypes()` (registry.ts) lists them. */
export const builtinOrchestrators: Orchestrator[] = [
  basic,
  router,
  parallel,
  collection,
  composite,
  aggregate,
  wait,
  signal,
  loop,
  subflow,
  specSession,
];
