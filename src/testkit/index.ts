/**
 * The test kit for definitions: cases files (`*.cases.yaml`) run on a real Temporal server with stub
 * tools and agents, scripted interactions, time control and expectations. `flowstate test` and
 * `describeCases` (Jest) are built on it. See docs/testing.md.
 */
export {
  loadCasesFile,
  loadCasesText,
  CasesFileError,
  EXAMPLE_TOOLS,
  timeScale,
  type CasesFile,
  type ResolvedCase,
  type StubSpec,
  type InteractionSpec,
  type ExpectSpec,
  type PeerSpec,
} from './cases';
export { CaseSession, type CaseResult, type RunOptions, type SessionOptions } from './runner';
export { TestKit, bundleInterpreter, type FileResult, type KitOptions } from './kit';
export { calledBy } from './preflight';
export { pollUntil, PollTimeoutError, type PollOptions } from './poll';
export { checkExpectations, divergence, type Failure, type RunOutcome } from './expect';
export { applyTimeControl, durationFieldsOf, formatMs, type TimeChange, type TimeControl } from './time';
export { StubRouter, type CallRecord, type CaseBinding } from './stubs';
export { formatCase, formatFailures, formatFile, summary } from './report';
export { describeCases, CaseFailedError, type DescribeCasesOptions } from './jest';
export {
  createSchedule,
  listSchedules,
  deleteSchedule,
  triggerSchedule,
  type ScheduleOptions,
  type ScheduleRow,
} from './schedule';
