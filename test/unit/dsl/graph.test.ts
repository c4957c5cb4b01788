import { toMermaid as mermaidOf } from '../../../src/dsl/graph';
import type { CompiledDefinition } from '../../../src/contract/compiled';
import { compile, definition, fixtureText, TYPES } from './helpers';

const toMermaid = (def: CompiledDefinition) => mermaidOf(def, TYPES);

/** `t3` for the node whose label starts with the task id. */
function nodeOf(graph: string, id: string): string {
  const m = new RegExp(`^\\s*(t\\d+)[\\[{(]+"<b>${id}</b>`, 'm').exec(graph);
  if (!m) throw new Error(`no node for ${id} in\n${graph}`);
  return m[1];
}

describe('toMermaid', () => {
  it('draws a flowchart from start to end through the tasks in order', () => {
    const graph = toMermaid(compile(definition('  - { id: a, tool: echo }\n  - { id: b, tool: echo }\n')));
    expect(graph.startsWith('flowchart TD\n')).toBe(true);
    const [a, b] = [nodeOf(graph, 'a'), nodeOf(graph, 'b')];
    expect(graph).toContain(`start --> ${a}`);
    expect(graph).toContain(`${a} --> ${b}`);
    expect(graph).toContain(`${b} --> finish`);
  });

  it('fans a parallel task out and back in inside a subgraph', () => {
    const graph = toMermaid(compile(fixtureText('valid/parallel.yaml')));
    const [analyse, security, style, merge] = ['analyse', 'security', 'style', 'merge'].map((id) =>
      nodeOf(graph, id),
    );
    expect(graph).toContain(`subgraph ${analyse}_group["analyse"]`);
    expect(graph).toContain(`${analyse} --> ${security}`);
    expect(graph).toContain(`${analyse} --> ${style}`);
    expect(graph).toContain(`${security} --> ${analyse}_done`);
    expect(graph).toContain(`${style} --> ${analyse}_done`);
    expect(graph).toContain(`${analyse}_done --> ${merge}`);
    // The composite branch runs its tasks in sequence.
    const [deeper, fetch, audit] = ['deeper', 'fetch', 'audit'].map((id) => nodeOf(graph, id));
    expect(graph).toContain(`${deeper} --> ${fetch}`);
    expect(graph).toContain(`${fetch} --> ${audit}`);
    expect(graph).toContain(`${audit} --> ${deeper}_done`);
    expect(graph).toContain(`${deeper}_done --> ${analyse}_done`);
  });

  it('labels router edges with the route key, for jumps and inline routes', () => {
    const graph = toMermaid(compile(fixtureText('valid/router.yaml')));
    const [route, fileBug, escalate, answer, done] = ['route', 'file-bug', 'escalate', 'answer', 'done'].map(
      (id) => nodeOf(graph, id),
    );
    expect(graph).toMatch(new RegExp(`${route}\\{"<b>route</b>`));
    expect(graph).toContain(`${route} -->|"bug"| ${fileBug}`);
    expect(graph).toContain(`${route} -->|"needs review"| ${escalate}`);
    expect(graph).toContain(`${route} -->|"question"| ${answer}`);
    expect(graph).toContain(`${route} -->|"default"| ${answer}`);
    expect(graph).toContain(`${route}_done --> ${done}`);
    expect(graph).toContain(`${done} -->|final| finish`);
  });

  it("draws an inline route's next and on_error to tasks of the router's sequence", () => {
    const graph = toMermaid(
      compile(
        definition(`  - id: pick
    type: router
    condition: input.size
    routes:
      small: { id: on-small, tool: echo, on_success: { next: summary }, on_error: { next: recover } }
    default: { id: on-big, tool: echo }
  - { id: recover, tool: echo }
  - { id: summary, tool: echo }
`),
      ),
    );
    const [pick, small, big, recover, summary] = ['pick', 'on-small', 'on-big', 'recover', 'summary'].map(
      (id) => nodeOf(graph, id),
    );
    expect(graph).toContain(`${pick} -->|"small"| ${small}`);
    expect(graph).toContain(`${small} -->|next| ${summary}`);
    expect(graph).toContain(`${small} -.->|on_error| ${recover}`);
    expect(graph).not.toContain(`${small} --> ${pick}_done`);
    expect(graph).toContain(`${big} --> ${pick}_done`);
    expect(graph).not.toContain('missing');
  });

  it('draws a loop with a back edge labelled with until', () => {
    const graph = toMermaid(compile(fixtureText('valid/loop.yaml')));
    const [probe, check, note] = ['probe', 'check', 'note'].map((id) => nodeOf(graph, id));
    expect(graph).toContain(`subgraph ${probe}_group["probe"]`);
    expect(graph).toContain(`${check} --> ${note}`);
    expect(graph).toContain(
      `${probe}_done -.->|"until: tasks.check.output.healthy or index #gt;= 4"| ${check}`,
    );
  });

  it('draws a collection as a subgraph labelled with its items', () => {
    const graph = toMermaid(compile(fixtureText('valid/collection.yaml')));
    const each = nodeOf(graph, 'each-epic');
    expect(graph).toContain(`subgraph ${each}_group["each-epic"]`);
    expect(graph).toMatch(/items: tasks\.backlog\.output\.epics/);
    expect(graph).toContain(`${each} --> ${nodeOf(graph, 'design')}`);
  });

  it('dashes error and timeout edges and marks gates', () => {
    const graph = toMermaid(
      compile(
        definition(`  - { id: charge, tool: pay, on_error: { next: refund }, acceptance: { acceptors: [ops], timeout: 1h, on_timeout: refund } }
  - { id: wait, type: wait, wait_for: ok, timeout: 1h, on_timeout: refund }
  - { id: refund, tool: refund }
`),
      ),
    );
    const [charge, wait, refund] = ['charge', 'wait', 'refund'].map((id) => nodeOf(graph, id));
    expect(graph).toContain(`${charge} -.->|on_error| ${refund}`);
    expect(graph).toContain(`${charge} -.->|gate timeout| ${refund}`);
    expect(graph).toContain(`${wait} -.->|on_timeout| ${refund}`);
    expect(graph).toContain('gate: ops');
    expect(graph).toContain(`class ${charge} gate`);
  });

  it('escapes text that would break a Mermaid label', () => {
    const def: CompiledDefinition = compile(
      definition(
        '  - { id: r, type: router, condition: \'input.a = "x" and input.b < 2\', routes: { "say \\"hi\\"": r } }\n',
      ),
    );
    const graph = toMermaid(def);
    expect(graph).toContain('condition: input.a = #quot;x#quot; and input.b #lt; 2');
    expect(graph).toContain('-->|"say #quot;hi#quot;"|');
  });

  it('draws every task of every example fixture', () => {
    for (const name of ['basic', 'composite', 'wait', 'signal', 'aggregate', 'jumps']) {
      const def = compile(fixtureText(`valid/${name}.yaml`));
      const graph = toMermaid(def);
      const ids = (tasks: CompiledDefinition['tasks']): string[] =>
        tasks.flatMap((t) => [t.id, ...ids(t.children)]);
      for (const id of ids(def.tasks)) expect(graph).toContain(`<b>${id}</b>`);
    }
  });
});
