/** signal: sends a signal (default: to the parent run); output { sent: true }. */
import { signal } from '../../../src/orchestrators/signal';
import { expectKind, taskContext } from './context';

const scope = {
  input: { parent: 'order-42', status: 'shipped' },
  tasks: { ship: { output: { tracking: 'T1' } } },
};

describe('signal', () => {
  it('emit with name, workflow_id and payload rendered from the scope; output { sent: true }', async () => {
    const ctx = taskContext(
      `
      - { id: ship, tool: echo }
      - id: notify
        type: signal
        signal:
          name: "order-{{ input.status }}"
          workflow_id: "{{ input.parent }}"
          payload: { tracking: "{{ tasks.ship.output.tracking }}", items: "{{ [1, 2] }}", fixed: true }
      `,
      'notify',
      scope,
    );
    const d = await signal.start(ctx);
    expect(d).toEqual({
      kind: 'emit',
      signal: {
        name: 'order-shipped',
        workflowId: 'order-42',
        payload: { tracking: 'T1', items: [1, 2], fixed: true },
      },
      output: { sent: true },
    });
  });

  it('no workflow_id: no target (the interpreter sends to the parent run)', async () => {
    const ctx = taskContext('- { id: notify, type: signal, signal: { name: done, payload: 1 } }', 'notify');
    const d = expectKind(await signal.start(ctx), 'emit');
    expect(d.signal).toEqual({ name: 'done', payload: 1 });
    expect('workflowId' in d.signal).toBe(false);
  });

  it('no payload: payload null', async () => {
    const d = expectKind(
      await signal.start(taskContext('- { id: n, type: signal, signal: { name: ping } }', 'n')),
      'emit',
    );
    expect(d.signal.payload).toBeNull();
    expect(d.output).toEqual({ sent: true });
  });

  it('a workflow_id rendering to nothing sends to the parent run', async () => {
    const ctx = taskContext(
      '- { id: n, type: signal, signal: { name: ping, workflow_id: "{{ input.none }}" } }',
      'n',
      {
        input: {},
      },
    );
    expect(expectKind(await signal.start(ctx), 'emit').signal.workflowId).toBeUndefined();
  });

  it('has no respond (the interpreter sends, then the task is done)', () => {
    expect(signal.respond).toBeUndefined();
  });
});
