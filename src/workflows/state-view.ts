/**
 * The `state` query kept small: a query's answer travels in one gRPC message (4 MiB) and one payload
 * (2 MiB), and a run of thousands of tasks, or of a few large outputs, would pass them ("Failed to
 * query Workflow"). Outputs past a size, and all outputs past a total, are summarised; the
 * `task-output` query answers one task's output in full. Deterministic code only.
 */
import type { Json } from '../contract/directive';
import type { OutputSummary } from './api';

/** An output is shown in full up to this many bytes of JSON... */
export const SHOWN_OUTPUT_BYTES = 16 * 1024;
/** ...and the outputs of a `state` answer up to this many in all; the rest are summarised. */
export const SHOWN_OUTPUTS_BYTES = 512 * 1024;

/** Characters of a summarised output's JSON kept as its preview. */
const PREVIEW = 200;

/** JSON length of a value (UTF-16 units: close enough to bytes for a budget). */
function weight(value: Json): number {
  return JSON.stringify(value)?.length ?? 0;
}

/** What the `state` query shows of an output too large to show in full. */
export function summaryOf(value: Json, bytes = weight(value)): OutputSummary {
  const text = JSON.stringify(value) ?? 'null';
  return {
    truncated: true,
    bytes,
    preview: text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text,
    get: 'flowstate status <workflowId> --task <path> (the task-output query)',
  };
}

/**
 * The outputs as the `state` query shows them: each in full while it is small and the total stays
 * within budget; a large one as its summary; none past the budget (a run of thousands of tasks).
 * `truncated_outputs` lists the paths summarised or left out, when there are any.
 */
export function boundedOutputs(outputs: Record<string, Json>): {
  outputs: Record<string, Json>;
  truncated_outputs?: string[];
} {
  const shown: Record<string, Json> = {};
  const truncated: string[] = [];
  let total = 0;
  for (const [path, value] of Object.entries(outputs)) {
    if (total >= SHOWN_OUTPUTS_BYTES) {
      truncated.push(path);
      continue;
    }
    const bytes = weight(value);
    const view = bytes <= SHOWN_OUTPUT_BYTES ? value : summaryOf(value, bytes);
    if (view !== value) truncated.push(path);
    shown[path] = view;
    total += view === value ? bytes : weight(view);
  }
  return { outputs: shown, ...(truncated.length ? { truncated_outputs: truncated } : {}) };
}

/** A gate's output as the `state` query shows it: in full within `SHOWN_OUTPUT_BYTES`. */
export function boundedOutput(value: Json): Json {
  const bytes = weight(value);
  return bytes <= SHOWN_OUTPUT_BYTES ? value : summaryOf(value, bytes);
}
