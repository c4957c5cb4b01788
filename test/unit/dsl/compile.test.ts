import { canonicalJson, definitionHash, EXECUTION_DEFAULTS, OUTPUT_TASK_ID } from '../../../src/dsl/compile';
import { compile, definition, fixtureText, task } from './helpers';

const DEFAULT_RETRY = {
  maximumAttempts: 3,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60000,
  nonRetryableErrorTypes: [],
};

describe('compiled tasks', () => {
  const basic = compile(fixtureText('valid/basic.yaml'));

  it('keep the task fields in spec, minus the ones that shape execution', () => {
    expect(task(basic, 'greet')).toMatchObject({
      id: 'greet',
      type: 'basic',
      spec: {
        tool: 'echo',
        with: { message: 'Hello {{ input.name }}', at: '{{ workflow.id }}' },
        outputs: { text: '{{ output.message }}' },
      },
      children: [],
    });
    for (const t of basic.tasks) {
      for (const field of [
        'id',
        'type',
        'on_success',
        'on_error',
        'final',
        'retry',
        'timeout',
        'acceptance',
      ]) {
        expect(t.spec).not.toHaveProperty(field);
      }
    }
    expect(task(basic, 'review').spec).toMatchObject({
      agent: 'reviewer',
      if: '{{ input.shout = true }}',
      heartbeat: '45s',
    });
  });

  it('record the roots each task reads, not output', () => {
    expect(task(basic, 'greet').reads).toEqual(['input', 'workflow']);
    expect(task(basic, 'review').reads).toEqual(['input', 'revision', 'tasks.greet']);
    expect(task(basic, 'notify').reads).toEqual(['input', 'secrets', 'tasks.greet']);
  });

  it('apply the execution defaults of remote tasks', () => {
    expect(task(basic, 'notify').execution).toEqual({
      local: false,
      startToCloseMs: 300_000,
      heartbeatMs: 30_000,
      retry: DEFAULT_RETRY,
    });
  });

  it('turn timeout, retry and heartbeat into Temporal options', () => {
    expect(task(basic, 'greet').execution).toEqual({
      local: false,
      startToCloseMs: 600_000,
      scheduleToCloseMs: 600_000,
      heartbeatMs: 30_000,
      retry: {
        maximumAttempts: 5,
        initialIntervalMs: 2000,
        backoffCoefficient: 1.5,
        maximumIntervalMs: 60_000,
        nonRetryableErrorTypes: ['ValidationError'],
      },
    });
    expect(task(basic, 'review').execution.heartbeatMs).toBe(45_000);
  });

  it('compile a gate', () => {
    expect(task(basic, 'review').acceptance).toEqual({
      acceptors: ['alice', 'bob'],
      timeoutMs: 2 * 86_400_000,
      onTimeout: 'notify',
      onReject: 'fail',
      maxRevisions: 1,
    });
    const def = compile(
      definition('  - { id: a, tool: echo, acceptance: { timeout: 1h, on_timeout: fail } }\n'),
    );
    expect(task(def, 'a').acceptance).toEqual({
      acceptors: [],
      timeoutMs: 3_600_000,
      onReject: 'revise',
      maxRevisions: 3,
    });
  });

  it('run compute-only types locally, with shorter defaults and no heartbeat', () => {
    const def = compile(fixtureText('valid/aggregate.yaml'));
    expect(task(def, 'sum').execution).toEqual({ local: true, startToCloseMs: 60_000, retry: DEFAULT_RETRY });
    expect(EXECUTION_DEFAULTS.localStartToCloseMs).toBe(60_000);
  });

  it('carry next, onError and final', () => {
    const def = compile(
      definition(
        '  - { id: a, tool: echo, on_success: { next: c }, on_error: { next: b } }\n' +
          '  - { id: b, tool: echo, final: true }\n' +
          '  - { id: c, tool: echo, final: false }\n',
      ),
    );
    expect(task(def, 'a')).toMatchObject({ next: 'c', onError: 'b' });
    expect(task(def, 'b').final).toBe(true);
    expect(task(def, 'c')).not.toHaveProperty('final');
    expect(task(def, 'c')).not.toHaveProperty('next');
  });
});

describe('nested tasks', () => {
  it('become children in document order, with the spec left by the orchestrator', () => {
    const def = compile(fixtureText('valid/parallel.yaml'));
    const analyse = task(def, 'analyse');
    expect(analyse.spec).toEqual({ strategy: 'best_effort', max_workers: 2 });
    expect(analyse.children.map((c) => c.id)).toEqual(['security', 'style', 'deeper']);
    expect(task(def, 'deeper').children.map((c) => c.id)).toEqual(['fetch', 'audit']);
    expect(task(def, 'audit').reads).toEqual(['tasks.fetch']);
    expect(task(def, 'merge').reads).toEqual(['tasks.audit', 'tasks.security', 'tasks.style']);
  });

  it('move inline routes to children and leave goto/inline targets', () => {
    const def = compile(fixtureText('valid/router.yaml'));
    const route = task(def, 'route');
    expect(route.children.map((c) => c.id)).toEqual(['file-bug', 'escalate']);
    expect(route.spec).toEqual({
      condition: 'tasks.classify.output.category',
      routes: { bug: { inline: 0 }, 'needs review': { inline: 1 }, question: { goto: 'answer' } },
      default: { goto: 'answer' },
    });
    expect(route.reads).toEqual(['tasks.classify']);
    expect(task(def, 'done').reads).toEqual(['tasks.file-bug']);
  });

  it("see an enclosing collection's renamed item and index variables", () => {
    const def = compile(fixtureText('valid/collection.yaml'));
    const each = task(def, 'each-epic');
    expect(each.spec).toMatchObject({
      item_var: 'epic',
      index_var: 'n',
      body: 'single',
      mode: 'sequential',
      batch: 2,
    });
    expect(each.reads).toEqual(['epic', 'n', 'tasks.backlog']);
    expect(task(def, 'design').reads).toEqual(['epic', 'n', 'tasks.backlog']);
    expect(task(def, 'each-file').spec).toMatchObject({
      item_var: 'item',
      index_var: 'index',
      body: 'multi',
    });
    expect(task(def, 'lint').reads).toEqual(['index', 'tasks.read']);
  });

  it('keep a type field named like a common one in the spec (a wait timeout)', () => {
    const def = compile(fixtureText('valid/wait.yaml'));
    const payment = task(def, 'payment');
    expect(payment.spec).toEqual({
      wait_for: 'paid',
      condition: 'signal.order_id = tasks.order.output.id',
      timeout: '2d',
      on_timeout: 'cancel',
    });
    expect(payment.execution).toEqual({ local: true, startToCloseMs: 60_000, retry: DEFAULT_RETRY });
    expect(payment.reads).toEqual(['signal', 'tasks.order']);
  });

  it("read a loop's passes: until reads the pass's tasks, children read index and previous", () => {
    const def = compile(fixtureText('valid/loop.yaml'));
    expect(task(def, 'probe').reads).toEqual(['index', 'tasks.check']);
    expect(task(def, 'check').reads).toEqual(['index', 'input', 'previous']);
  });

  it('report * when an expression reads the whole scope', () => {
    const def = compile(definition('  - { id: a, tool: echo, with: "{{ $ }}", if: "input.x" }\n'));
    expect(task(def, 'a').reads).toEqual(['*']);
  });
});

describe('the compiled definition', () => {
  it('has the document fields and is plain JSON', () => {
    const def = compile(fixtureText('valid/basic.yaml'), 'definitions/basic.yaml');
    expect(def).toMatchObject({
      id: 'basic-calls',
      version: '1.0.0',
      description: expect.stringContaining('A tool, an agent'),
      input: { type: 'object', required: ['name'] },
      source: 'definitions/basic.yaml',
    });
    expect(def.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(JSON.stringify(def))).toEqual(def);
    expect(def).not.toHaveProperty('outputTask');
  });

  it('compiles output into an aggregate task run after the last one', () => {
    const def = compile(fixtureText('valid/aggregate.yaml'));
    expect(def.outputTask).toEqual({
      id: OUTPUT_TASK_ID,
      type: 'aggregate',
      spec: { outputs: { total: '{{ tasks.sum.output.total }}', label: 'total for {{ input.who }}' } },
      children: [],
      reads: ['input', 'tasks.sum'],
      execution: { local: true, startToCloseMs: 60_000, retry: DEFAULT_RETRY },
    });
  });
});

describe('the content hash', () => {
  const text = fixtureText('valid/parallel.yaml');

  it('is the same for the same content, whatever the formatting, comments or key order', () => {
    const reformatted = [
      '# the same definition, written differently',
      'version: "1.2.0"',
      'id: parallel-analysis',
      text.slice(text.indexOf('output:')),
    ].join('\n');
    expect(compile(reformatted).hash).toBe(compile(text).hash);
    expect(compile(text, 'elsewhere.yaml').hash).toBe(compile(text).hash);
  });

  it('is the same for the same content in JSON', () => {
    const yaml = 'id: j\nversion: 1.0.0\ntasks:\n  - { id: a, tool: echo, with: { n: 1 } }\n';
    const json = '{"tasks":[{"with":{"n":1},"tool":"echo","id":"a"}],"version":"1.0.0","id":"j"}';
    expect(compile(json, 'j.json').hash).toBe(compile(yaml).hash);
  });

  it('changes when anything changes', () => {
    const base = compile(text).hash;
    expect(compile(text.replace('max_workers: 2', 'max_workers: 3')).hash).not.toBe(base);
    expect(compile(text.replace('kind: style', 'kind: styles')).hash).not.toBe(base);
    expect(compile(text.replace('version: 1.2.0', 'version: 1.2.1')).hash).not.toBe(base);
  });

  it('is sha256 of the canonical JSON (keys sorted at every level)', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[3,{"a":null,"z":1}]}',
    );
    expect(definitionHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
