/** Workflow ids of a case's runs, and the `${run.id}` / `${peers.<name>.id}` placeholders that name them. */

/** A workflow id part from a case name: lowercase letters, digits and `-`. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'case'
  );
}

/** `${run.id}` and `${peers.<name>.id}` in strings, deeply. */
export function substituteIds<T>(value: T, runId: string, peers: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{(run|peers\.([a-z][a-z0-9-]*))\.id\}/g, (whole, _all: string, peer?: string) =>
      peer === undefined ? runId : (peers[peer] ?? whole),
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteIds(v, runId, peers)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteIds(v, runId, peers)]),
    ) as T;
  }
  return value;
}
