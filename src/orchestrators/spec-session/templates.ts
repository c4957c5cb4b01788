/**
 * The templates of a spec session's views: the built-in defaults, the roots and fields a template sees,
 * and `templateWarnings`, which `validate` reports for placeholders that can never resolve.
 *
 * What a template sees (its roots): `phase` (the current phase), `task` (the task, in the task
 * template only), `session` (title, position, phases and their status, evidence so far) and `input`
 * (the workflow input, when the definition reads it). A placeholder that is not there renders empty.
 */
import { didYouMean } from '../../contract/suggest';
import { compileExpression, splitTemplate, type AstNode } from '../../expressions';

/** The roots a template may read. */
export const TEMPLATE_ROOTS = ['phase', 'task', 'session', 'input'] as const;

/** Fields of the objects templates see, for `validate`: `true` is a leaf, a record is an object (or a list of them). */
type Fields = { [name: string]: true | Fields };
const CRITERION: Fields = { n: true, text: true, done: true };
const TASK: Fields = {
  n: true,
  id: true,
  title: true,
  done: true,
  description: true,
  estimate: true,
  dependencies: true,
  criteria: CRITERION,
};
const PHASE: Fields = {
  id: true,
  number: true,
  position: true,
  name: true,
  description: true,
  goal: true,
  estimate: true,
  dependencies: true,
  tasks: TASK,
  gate: CRITERION,
};
const SESSION: Fields = {
  title: true,
  position: true,
  total: true,
  phases: { id: true, name: true, position: true, status: true },
  evidence: { phase: true, name: true, criteria: { n: true, text: true, note: true }, summary: true },
};
const SHAPES: Record<string, Fields | true> = { phase: PHASE, task: TASK, session: SESSION, input: true };

export const DEFAULT_PHASE_TEMPLATE = `# {{ session.title }}

## Phase {{ phase.id }} of {{ session.total }}: {{ phase.name }}

{{ phase.description }}
{{ phase.goal ? 'Goal: ' & phase.goal }}

### Tasks
{{ $numbered(phase.tasks.(id & ': ' & title)) }}

### Validation gate
{{ $checklist(phase.gate) }}
`;

export const DEFAULT_TASK_TEMPLATE = `## Task {{ task.id }}: {{ task.title }}

Phase {{ phase.id }}: {{ phase.name }}
{{ task.description }}
{{ task.estimate ? 'Estimated time: ' & task.estimate }}
{{ task.dependencies ? 'Depends on: ' & $join(task.dependencies, ', ') }}

### Acceptance criteria
{{ $checklist(task.criteria) }}
`;

// ---------------------------------------------------------------------------------------------------
// validate: placeholders that can never resolve

export interface TemplateWarning {
  /** 1-based, in the template text. */
  line: number;
  col: number;
  message: string;
}

/**
 * Placeholders of a template that can never resolve: a name that is no root (`{{ title }}`), a field
 * the root's object does not have (`{{ phase.nmae }}`), or `task` in the phase template. Expressions
 * that do not parse are left to the definition's own expression checks.
 */
export function templateWarnings(template: string, kind: 'phase' | 'task'): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const roots = kind === 'phase' ? TEMPLATE_ROOTS.filter((r) => r !== 'task') : [...TEMPLATE_ROOTS];
  for (const { text, at } of splitTemplate(template).expressions) {
    let ast: AstNode;
    try {
      ast = compileExpression(text).ast() as AstNode;
    } catch {
      continue;
    }
    const before = template.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    const warn = (message: string) =>
      warnings.push({ line, col, message: `{{ ${text} }}: ${message}; it renders empty` });
    for (const steps of topLevelPaths(ast)) {
      const names: string[] = [];
      for (const s of steps) {
        if (s.type !== 'name' || typeof s.value !== 'string') break;
        names.push(s.value);
      }
      if (names.length === 0) continue;
      const [root, ...fields] = names;
      if (!(roots as string[]).includes(root!)) {
        const why =
          root === 'task'
            ? 'task is seen by the task template only'
            : `'${root}' is not something a template sees`;
        warn(`${why} (roots: ${roots.join(', ')})`);
        continue;
      }
      let shape: Fields | true = SHAPES[root!]!;
      for (const field of fields) {
        if (shape === true) break;
        const next: Fields | true | undefined = shape[field];
        if (next === undefined) {
          const known = Object.keys(shape);
          const owner = [root, ...fields.slice(0, fields.indexOf(field))].join('.');
          warn(`${owner} has no field '${field}'${didYouMean(field, known)} (fields: ${known.join(', ')})`);
          break;
        }
        shape = next;
      }
    }
  }
  return warnings;
}

/**
 * Steps of the paths evaluated against the template's roots: not those inside a filter, a predicate,
 * a later step of a path, or a function body, where names are relative to something else.
 */
function topLevelPaths(ast: AstNode): AstNode[][] {
  const found: AstNode[][] = [];
  const visit = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, top));
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.type === 'path' && Array.isArray(n.steps)) {
      const steps = n.steps as AstNode[];
      if (top) found.push(steps);
      steps.forEach((s, i) => {
        for (const [k, v] of Object.entries(s))
          if (k !== 'value' || typeof v === 'object')
            visit(v, top && i === 0 && k !== 'stages' && k !== 'predicate' && k !== 'group');
      });
      return;
    }
    if (n.type === 'name' && top) found.push([n]);
    const inner = n.type === 'lambda' ? false : top;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'value' && typeof v !== 'object') continue;
      if (k === 'procedure') continue;
      visit(v, k === 'stages' || k === 'predicate' || k === 'group' ? false : inner);
    }
  };
  visit(ast, true);
  return found;
}
