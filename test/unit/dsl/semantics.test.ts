import { compile, definition, errorsOf, warningsOf } from './helpers';

const messages = (text: string) => errorsOf(text).map((e) => `${e.line}:${e.col}: ${e.message}`);

describe('tasks.<id> scoping', () => {
  it('sees earlier tasks of the sequence and of enclosing sequences', () => {
    compile(
      definition(`  - { id: a, tool: echo }
  - id: group
    type: composite
    tasks:
      - { id: b, tool: echo, with: "{{ tasks.a.output }}" }
      - { id: c, tool: echo, with: "{{ tasks.b.output }}" }
`),
    );
  });

  it('sees the exported children of earlier containers, however deep', () => {
    compile(
      definition(`  - id: fan
    type: parallel
    tasks:
      - id: inner
        type: composite
        tasks:
          - { id: deep, tool: echo }
  - id: route
    type: router
    condition: input.k
    routes: { x: { id: inline, tool: echo } }
  - { id: after, tool: echo, with: "{{ tasks.deep.output }} {{ tasks.inline.output }}" }
`),
    );
  });

  it('does not see the tasks of a loop or collection from outside', () => {
    const errors = messages(
      definition(`  - id: poll
    type: loop
    max_iterations: 3
    until: tasks.check.output.ok
    tasks: [{ id: check, tool: echo }]
  - { id: after, tool: echo, with: "{{ tasks.check.output }}" }
`),
    );
    expect(errors).toEqual([
      "9:36: with reads tasks.check, but 'check' cannot have run before 'after': it runs inside 'poll', whose tasks are visible only inside it (read tasks.poll.output instead) (tasks in scope: poll)",
    ]);
  });

  it("lets a loop's until read the pass's tasks, and nothing else of the loop's", () => {
    compile(fixtureLoop('tasks.check.output.ok'));
    expect(messages(fixtureLoop('tasks.later.output'))).toEqual([
      expect.stringContaining("'later' cannot have run before 'poll'"),
    ]);
  });

  it('lets a collection body see its own earlier tasks and what ran before the collection', () => {
    compile(
      definition(`  - { id: list, tool: echo }
  - id: each
    type: collection
    items: tasks.list.output
    tasks:
      - { id: one, tool: echo, with: "{{ item }} {{ tasks.list.output }}" }
      - { id: two, tool: echo, with: "{{ tasks.one.output }}" }
`),
    );
  });

  it('does not let a collection read its own body in items', () => {
    expect(
      messages(
        definition(`  - id: each
    type: collection
    items: tasks.one.output
    task: { id: one, tool: echo }
`),
      ),
    ).toEqual([
      "6:12: items reads tasks.one, but 'one' cannot have run before 'each': it runs inside 'each', after each's own fields are evaluated (no task runs before it)",
    ]);
  });

  it('lets a task read a later one when a jump leads back to it', () => {
    compile(
      definition(`  - { id: draft, tool: echo, with: "{{ tasks.review.output }}" }
  - { id: review, tool: echo, on_success: { next: draft } }
`),
    );
  });

  it('does not let a task read its own output', () => {
    expect(messages(definition('  - { id: a, tool: echo, with: "{{ tasks.a.output }}" }\n'))).toEqual([
      expect.stringContaining("'a' cannot have run before 'a': a task cannot read its own output"),
    ]);
  });

  it('checks every expression of a task, templates and bare fields', () => {
    const errors = messages(
      definition(`  - id: r
    type: router
    if: tasks.x.output
    condition: tasks.y.output
    with: { deep: [ "{{ tasks.z.output }}" ] }
    routes: { a: r }
`),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^6:9: if reads tasks.x, but no task has id 'x'/),
      expect.stringMatching(/^7:16: condition reads tasks.y, but no task has id 'y'/),
      expect.stringMatching(/^8:21: with reads tasks.z, but no task has id 'z'/),
    ]);
  });

  it('scopes the workflow output over every top-level task and exported child', () => {
    compile(
      definition(
        '  - id: p\n    type: parallel\n    tasks: [{ id: c, tool: echo }]\n',
        'output: "{{ tasks.c.output }}"\n',
      ),
    );
  });
});

function fixtureLoop(until: string): string {
  return definition(`  - id: poll
    type: loop
    max_iterations: 3
    until: ${until}
    tasks: [{ id: check, tool: echo }]
  - { id: later, tool: echo }
`);
}

describe('jumps', () => {
  it('may go back and forth within a nested sequence', () => {
    compile(
      definition(`  - id: group
    type: composite
    tasks:
      - { id: a, tool: echo, on_error: { next: c } }
      - { id: b, tool: echo, on_success: { next: a } }
      - { id: c, tool: echo }
`),
    );
  });

  it('may not leave the sequence', () => {
    expect(
      messages(
        definition(`  - id: group
    type: composite
    tasks:
      - { id: a, tool: echo, on_success: { next: out } }
  - { id: out, tool: echo }
`),
      ),
    ).toEqual([
      "7:50: on_success.next 'out' is not in the same sequence as 'a': a jump stays within one sequence: 'a' can jump to a",
    ]);
  });

  it("let a router's inline route jump to tasks of the router's sequence (it runs as the next task)", () => {
    const def = compile(
      definition(`  - id: pick
    type: router
    condition: input.size
    routes:
      small: { id: on-small, tool: echo, on_success: { next: summary }, on_error: { next: recover } }
    default: { id: on-big, tool: echo, on_success: { next: summary } }
  - { id: big-only, tool: echo }
  - { id: recover, tool: echo, with: "{{ error.message }}", on_success: { next: summary } }
  - { id: summary, tool: echo, with: "{{ tasks.pick.output.route }}" }
`),
    );
    // The route's jumps are the router's to perform, not the route's own.
    const pick = def.tasks[0];
    expect(pick.children.map((c) => [c.id, c.next, c.onError])).toEqual([
      ['on-small', undefined, undefined],
      ['on-big', undefined, undefined],
    ]);
    expect(pick.spec.routes).toEqual({ small: { inline: 0, next: 'summary', onError: 'recover' } });
    expect(pick.spec.default).toEqual({ inline: 1, next: 'summary' });
  });

  it("refuse an inline route's jump to a task outside the router's sequence, naming those it can reach", () => {
    expect(
      messages(
        definition(`  - id: pick
    type: router
    condition: input.size
    routes:
      small: { id: on-small, tool: echo, on_success: { next: sumary } }
      big:
        id: on-big
        tool: echo
        on_error: { next: inner }
  - id: group
    type: composite
    tasks: [{ id: inner, tool: echo }]
  - { id: summary, tool: echo }
`),
      ),
    ).toEqual([
      "8:62: routes.small.on_success.next names no task 'sumary': did you mean 'summary'? (tasks it can jump to: pick, group, summary)",
      "12:27: routes.big.on_error.next 'inner' is not in the same sequence as 'on-big': 'on-big' runs as the next task of 'pick', so its next names a task of that sequence: pick, group, summary",
    ]);
  });

  it("an inline route's jump makes its target reachable, and its other jumps still stay in its own", () => {
    expect(
      warningsOf(
        definition(`  - id: pick
    type: router
    condition: input.k
    routes: { a: { id: inline, tool: echo, on_success: { next: tail } } }
    final: true
  - { id: tail, tool: echo }
`),
      ),
    ).toEqual([]);
    expect(
      messages(
        definition(`  - id: pick
    type: router
    condition: input.k
    routes: { a: { id: inline, type: wait, wait_for: go, timeout: 1h, on_timeout: tail } }
  - { id: tail, tool: echo }
`),
      ),
    ).toEqual([expect.stringContaining("on_timeout 'tail' is not in the same sequence as 'inline'")]);
  });

  it("treat 'fail' as no jump in on_timeout", () => {
    compile(definition('  - { id: w, type: wait, wait_for: go, timeout: 1h, on_timeout: fail }\n'));
  });
});

describe('unreachable tasks', () => {
  it('are warned about in nested sequences too', () => {
    const warnings = warningsOf(
      definition(`  - id: group
    type: composite
    tasks:
      - { id: a, tool: echo, final: true }
      - { id: b, tool: echo }
`),
    );
    expect(warnings.map((w) => `${w.line}:${w.col}: ${w.message}`)).toEqual([
      "8:15: task 'b' is unreachable: it follows 'a', which is final, and no reachable task jumps to it",
    ]);
  });

  it('are not reported when something jumps to them', () => {
    expect(
      warningsOf(
        definition(`  - { id: a, tool: echo, on_error: { next: c }, on_success: { next: d } }
  - { id: b, tool: echo, final: true }
  - { id: c, tool: echo, on_success: { next: b } }
  - { id: d, tool: echo }
`),
      ),
    ).toEqual([]);
  });
});

describe('other checks', () => {
  it('collect every error at once', () => {
    const errors = errorsOf(
      definition(`  - { id: a, tool: echo, with: "{{ $now() }}" }
  - { id: a, tool: echo, on_success: { next: nowhere } }
  - { id: c, tool: echo, with: "{{ tasks.zzz.output }}" }
`),
    );
    expect(errors.map((e) => e.path)).toEqual([
      'tasks[0].with',
      'tasks[1].id',
      'tasks[1].on_success.next',
      'tasks[2].with',
    ]);
  });

  it('accept a 2020-12 input schema and reject a broken $ref', () => {
    compile(
      definition(
        '  - { id: a, tool: echo }\n',
        'input:\n  $schema: https://json-schema.org/draft/2020-12/schema\n  $defs: { name: { type: string } }\n  type: object\n  properties: { n: { $ref: "#/$defs/name" } }\n',
      ),
    );
    const errors = messages(
      definition(
        '  - { id: a, tool: echo }\n',
        'input:\n  type: object\n  properties: { a: { $ref: "#/$defs/nope" } }\n',
      ),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^4:3: input is not a valid JSON Schema: can't resolve reference #\/\$defs\/nope/,
      ),
    ]);
  });

  it('reject text around a template in a bare expression field', () => {
    expect(messages(definition('  - { id: a, tool: echo, if: "yes {{ input.a }}" }\n'))).toEqual([
      expect.stringContaining('if must be one expression'),
    ]);
  });
});
