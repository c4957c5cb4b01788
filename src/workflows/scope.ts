/**
 * Scopes as the interpreter keeps them: a frame per sequence (the top level, a branch, a collection
 * item, a loop pass) holding its tasks' outputs and variables, chained to the enclosing frame.
 * `tasks.<id>` finds the nearest frame that ran `<id>`: a pass's own sibling first.
 */
import type { CompiledTask } from '../contract/compiled';
import type { Json } from '../contract/directive';

/** The outputs and variables a sequence of tasks sees, chained to the enclosing frame. */
export class Frame {
  readonly outputs = new Map<string, Json>();

  constructor(
    readonly parent?: Frame,
    readonly vars: Record<string, Json> = {},
  ) {}

  child(vars: Record<string, Json> = {}): Frame {
    return new Frame(this, vars);
  }

  /** A root frame holding what a snapshot carried (in a batch child workflow). */
  static fromSnapshot(snapshot: FrameSnapshot): Frame {
    const frame = new Frame(undefined, { ...snapshot.vars });
    for (const [id, output] of Object.entries(snapshot.outputs)) frame.outputs.set(id, output);
    return frame;
  }

  /** This frame, then each enclosing one. */
  *chain(): Generator<Frame> {
    yield this;
    if (this.parent) yield* this.parent.chain();
  }

  output(id: string): Json | undefined {
    for (const f of this.chain()) if (f.outputs.has(id)) return f.outputs.get(id);
    return undefined;
  }

  variable(name: string): Json | undefined {
    for (const f of this.chain()) if (name in f.vars) return f.vars[name];
    return undefined;
  }

  /** Every visible task output, inner frames shadowing outer ones. */
  allOutputs(): Record<string, { output: Json }> {
    const all: Record<string, { output: Json }> = {};
    for (const f of [...this.chain()].reverse()) for (const [id, output] of f.outputs) all[id] = { output };
    return all;
  }

  variableNames(): string[] {
    return [...new Set([...this.chain()].flatMap((f) => Object.keys(f.vars)))];
  }
}

/** What a batch child workflow needs of its parent's frame. */
export interface FrameSnapshot {
  outputs: Record<string, Json>;
  vars: Record<string, Json>;
}

/** The visible outputs that `tasks` (and their descendants) read, and every variable in scope. */
export function snapshotFor(tasks: CompiledTask[], frame: Frame): FrameSnapshot {
  const reads = new Set<string>();
  const visit = (t: CompiledTask): void => {
    t.reads.forEach((r) => reads.add(r));
    t.children.forEach(visit);
  };
  tasks.forEach(visit);
  const all = reads.has('*') || reads.has('tasks');
  const outputs: Record<string, Json> = {};
  for (const [id, { output }] of Object.entries(frame.allOutputs())) {
    if (all || reads.has(`tasks.${id}`)) outputs[id] = output;
  }
  const vars: Record<string, Json> = {};
  for (const name of frame.variableNames()) vars[name] = frame.variable(name) as Json;
  return { outputs, vars };
}

/**
 * The slice of scope a task reads, from the roots its expressions use (`input`, `tasks.<id>`,
 * `tasks`, a variable name, or `*` for everything). Only this goes into the activity's input, so
 * history grows by what a task reads, not by everything done so far.
 */
export function sliceScope(
  reads: readonly string[],
  frame: Frame,
  base: { input: Json; workflow: Json },
): Record<string, Json> {
  const out: Record<string, Json> = {};
  const tasks: Record<string, { output: Json }> = {};
  const roots = reads.includes('*') ? ['input', 'workflow', 'tasks', ...frame.variableNames()] : reads;
  for (const root of roots) {
    if (root === 'input') out.input = base.input;
    else if (root === 'workflow') out.workflow = base.workflow;
    else if (root === 'tasks') Object.assign(tasks, frame.allOutputs());
    else if (root.startsWith('tasks.')) {
      const id = root.slice('tasks.'.length);
      const output = frame.output(id);
      if (output !== undefined) tasks[id] = { output };
    } else {
      const value = frame.variable(root);
      if (value !== undefined) out[root] = value;
    }
  }
  if (Object.keys(tasks).length > 0) out.tasks = tasks;
  return out;
}

/** Path of a task: `analyse/security`, `architecture[epic-2]`, `review[0]/critique`. */
export function taskPath(prefix: string, id: string, anonymous = false): string {
  if (anonymous) return prefix;
  return prefix === '' ? id : `${prefix}/${id}`;
}
