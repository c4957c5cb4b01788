/** Definitions of the registry (`FLOWSTATE_REGISTRY`) for the console: the list and one's graph. */
import type { GraphModel } from '../../contract/graph';
import type { TaskTypeRegistry } from '../../contract/registry';
import { loadFromRegistry } from '../../client/definitions';
import { toGraphModel } from '../../dsl/graph-model';
import { openRegistry, type ListedDefinition } from '../../registry';

/** Every definition id in the registry with its versions (ascending). */
export async function listDefinitions(): Promise<{ location: string; items: ListedDefinition[] }> {
  const registry = openRegistry();
  return { location: registry.location, items: await registry.list() };
}

/** The graph of `id@version` as the registry holds it (only the registry: the id is no path). */
export async function definitionGraph(
  id: string,
  version: string,
  types: TaskTypeRegistry,
): Promise<GraphModel> {
  return toGraphModel(await loadFromRegistry(`${id}@${version}`, types), types);
}
