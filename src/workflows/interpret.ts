/**
 * The one generic workflow. It walks a compiled definition and, for each task, calls the
 * `createTaskState` activity, then performs the directive it gets back (see `walker.ts`). It knows
 * no task type.
 */
import { ContinueAsNew, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { InterpretInput, RunResult } from './api';
import { reportGates } from './child-gates';
import { installHandlers } from './handlers';
import { RunBook } from './run-book';
import { Frame } from './scope';
import { asFailure, TaskFailed } from './failures';
import { resumeBook, Rotation } from './rotation';
import { Walker } from './walker';

/** The workflow: walk the definition, then its output template and `on_complete` hook. */
export async function interpret({
  definition,
  input,
  resume,
  redrive,
  subflow,
  starterToken,
}: InterpretInput): Promise<RunResult> {
  const book = new RunBook(definition, redrive);
  installHandlers(book);
  const info = workflowInfo();
  if (subflow) void reportGates(book.gates, subflow.parent, subflow.path, info.workflowId);
  const { id, version, hash } = definition;
  const walker = new Walker(
    {
      definition: { id, version, hash },
      input,
      workflow: { id: info.workflowId, run_id: info.runId, definition: id, version },
    },
    book,
  );
  const root = resume ? Frame.fromSnapshot(resume.frame) : new Frame();
  if (resume) resumeBook(book, resume);
  else
    book.events.emit('run.started', undefined, {
      definition: id,
      version,
      hash,
      ...(redrive ? { redrives: redrive.from } : {}),
    });
  book.rotation = new Rotation(book, definition, input, root, {
    ...(redrive ? { redrive } : {}),
    ...(subflow ? { subflow } : {}),
  });
  try {
    // Only a run started with a token asks the worker who started it: no new command for the others.
    if (starterToken && !resume) await book.deciders.verifyStarter(starterToken);
    let output = await walker.walk(definition.tasks, root, '', false, resume?.at);
    if (definition.outputTask) output = (await walker.runTask(definition.outputTask, root, '$output')).output;
    if (definition.onComplete) {
      const event = {
        type: 'run.completed',
        workflow_id: info.workflowId,
        run_id: info.runId,
        definition: id,
        version,
        output,
      };
      try {
        await walker.runTask(definition.onComplete.task, root.child({ event }), '$on_complete');
      } catch (e) {
        if (!(e instanceof TaskFailed) || definition.onComplete.onError === 'fail') throw e;
      }
    }
    book.status.finish('completed');
    book.events.emit('run.completed');
    return { output, decisions: book.gates.decisions };
  } catch (e) {
    if (e instanceof ContinueAsNew) throw e;
    book.status.finish(isCancellation(e) ? 'cancelled' : 'failed');
    if (isCancellation(e)) book.events.emit('run.cancelled');
    else
      book.events.emit(
        'run.failed',
        undefined,
        e instanceof TaskFailed ? { error: { ...e.error } } : { error: { message: (e as Error)?.message } },
      );
    throw asFailure(e);
  }
}
