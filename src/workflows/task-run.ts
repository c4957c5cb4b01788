/**
 * `interpretTask`: the rest of one task (whose first directive asked to `isolate`) in a child workflow
 * of its own. Between rounds it continues as new once its history has grown, carrying the next
 * directive, so a task that runs for a long time (a stream of pages) never grows one history without
 * bound.
 */
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { Directive } from '../contract/directive';
import type { Outcome, TaskRunInput } from './child-workflows';
import { asFailure } from './failures';
import { BATCH_RUNS, INLINE_RUNS } from './fan-out';
import { installHandlers } from './handlers';
import { RunBook } from './run-book';
import { Frame } from './scope';
import { Walker } from './walker';

/** Continue as new past this many events (well under Temporal's 51,200 and our 10,240 budget)... */
export const TASK_HISTORY_LIMIT = 2_000;
/** ...or past about this many bytes of recorded directives (Temporal's limit is 50 MB a history). */
export const TASK_HISTORY_BYTES = 2_000_000;

/** About how many events a round of `runs` child runs adds here: inline, or a few per batch child. */
function eventsOf(runs: number): number {
  return runs > INLINE_RUNS ? 3 * Math.ceil(runs / BATCH_RUNS) : 4 * runs;
}

/** The workflow of an isolated task: perform its directives, continuing as new as its history grows. */
export async function interpretTask(input: TaskRunInput): Promise<Outcome> {
  const book = new RunBook(input.base.definition);
  installHandlers(book);
  book.mailbox.restore(input.signals);
  const walker = new Walker(input.base, book, true);
  // historyLength/historySize only count what a finished workflow task wrote, and a chain of local
  // activities keeps one task open: so also estimate what each round adds (events and bytes).
  let rounds = 0;
  let estimate = 0;
  let bytes = 0;
  const checkpoint = async (next: Directive) => {
    const info = workflowInfo();
    const grown =
      Math.max(info.historyLength, estimate) > TASK_HISTORY_LIMIT ||
      Math.max(info.historySize, bytes) > TASK_HISTORY_BYTES;
    if (rounds++ > 0 && (info.continueAsNewSuggested || grown)) {
      // Let signal handlers finish, and carry the signals not consumed yet: nothing sent is lost.
      await condition(allHandlersFinished);
      await continueAsNew<typeof interpretTask>({
        ...input,
        directive: next,
        signals: book.mailbox.unconsumed(),
      });
    }
    estimate += 10 + (next.kind === 'children' ? eventsOf(next.runs.length) : 0);
    // A directive is recorded once and its runs travel again in their results: count it twice.
    bytes += 2 * JSON.stringify(next).length;
  };
  try {
    const outcome = await walker.performer.perform(
      input.task,
      Frame.fromSnapshot(input.frame),
      input.path,
      input.directive,
      checkpoint,
    );
    book.status.finish('completed');
    return outcome;
  } catch (e) {
    book.status.finish('failed');
    throw asFailure(e);
  }
}
