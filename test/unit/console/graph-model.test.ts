import { toGraphModel } from '../../../src/dsl/graph-model';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';
import { loadExample } from '../../harness/definitions';

const TYPES = builtinTaskTypes();
const modelOf = async (name: string) => toGraphModel(await loadExample(name), TYPES);

describe('the graph model of a definition', () => {
  it('has every task of parallel-analysis, the branches inside their parallel, and the order of the steps', async () => {
    const m = await modelOf('parallel-analysis');
    expect(m.nodes.map((n) => n.path)).toEqual([
      'analyse',
      'analyse/security',
      'analyse/style',
      'analyse/deps',
      'merge',
    ]);
    expect(m.nodes.find((n) => n.path === 'analyse')).toMatchObject({ group: 'branches', type: 'parallel' });
    expect(m.nodes.find((n) => n.path === 'analyse/deps')?.parent).toBe('analyse');
    // Branches run alone: no edge between them; the parallel goes on to merge.
    expect(m.edges).toEqual([{ from: 'analyse', to: 'merge', kind: 'flow' }]);
    // A task's input as the definition gives it (templates unrendered); a parallel has none.
    expect(m.nodes.find((n) => n.path === 'analyse/security')?.input).toEqual({
      repo: '{{ input.repo }}',
      kind: 'security',
    });
    expect(m.nodes.find((n) => n.path === 'analyse')?.input).toBeUndefined();
  });

  it('marks gates with their acceptors and a collection body as run once per item', async () => {
    const m = await modelOf('discovery-to-architecture');
    const byPath = new Map(m.nodes.map((n) => [n.path, n]));
    expect(byPath.get('discovery')?.gate).toEqual({ acceptors: ['product-owner'] });
    expect(byPath.get('architecture')).toMatchObject({ group: 'items', type: 'collection' });
    expect(byPath.get('architecture/design')).toMatchObject({
      parent: 'architecture',
      gate: { acceptors: ['architect'] },
    });
    expect(byPath.get('architecture')?.details).toContain('items: tasks.backlog.output.epics');
  });

  it('draws a loop as passes with a back edge, and a subflow naming the definition it runs', async () => {
    const loop = await modelOf('retry-until-healthy');
    expect(loop.nodes.find((n) => n.path === 'probe')?.group).toBe('passes');
    expect(loop.edges).toContainEqual({
      from: 'probe/check',
      to: 'probe/check',
      label: 'next pass',
      kind: 'repeat',
    });
    const review = await modelOf('contract-review');
    const subflow = review.nodes.find((n) => n.runs !== undefined);
    expect(subflow?.runs).toMatch(/legal-review/);
  });
});
