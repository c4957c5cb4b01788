/**
 * Worker Deployment Versioning (Temporal server ≥ 1.29): which deployment a worker belongs to, its
 * build id, and how runs move between builds. Off unless FLOWSTATE_DEPLOYMENT_NAME is set: without it
 * a worker is unversioned, as before. Why AUTO_UPGRADE is the default: docs/operations.md, "Upgrading
 * workers (rolling upgrade)".
 */
import type { VersioningBehavior, WorkerDeploymentVersion } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import { EnvError, envError } from './env';

/** How a run moves between builds, as FLOWSTATE_VERSIONING_BEHAVIOR spells it. */
export const VERSIONING_BEHAVIORS = {
  'auto-upgrade': 'AUTO_UPGRADE',
  pinned: 'PINNED',
} as const satisfies Record<string, VersioningBehavior>;

/** The default: a run's next workflow task goes to the deployment's current build. */
export const DEFAULT_VERSIONING_BEHAVIOR: VersioningBehavior = 'AUTO_UPGRADE';

/** A versioned worker's settings; `buildId` undefined: the workflow bundle's content hash. */
export interface DeploymentSettings {
  deploymentName: string;
  buildId?: string;
  behavior: VersioningBehavior;
}

/**
 * FLOWSTATE_DEPLOYMENT_NAME, FLOWSTATE_BUILD_ID and FLOWSTATE_VERSIONING_BEHAVIOR; undefined (an
 * unversioned worker) when no deployment name is set. A value the server would refuse is an EnvError.
 */
export function deploymentFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentSettings | undefined {
  const deploymentName = env.FLOWSTATE_DEPLOYMENT_NAME?.trim();
  const buildId = env.FLOWSTATE_BUILD_ID?.trim();
  const behaviorName = env.FLOWSTATE_VERSIONING_BEHAVIOR?.trim();
  if (!deploymentName) {
    const orphan = buildId
      ? 'FLOWSTATE_BUILD_ID'
      : behaviorName
        ? 'FLOWSTATE_VERSIONING_BEHAVIOR'
        : undefined;
    if (orphan)
      throw new EnvError(
        `${orphan} is set but FLOWSTATE_DEPLOYMENT_NAME is not: set FLOWSTATE_DEPLOYMENT_NAME to version this worker, or unset ${orphan}`,
      );
    return undefined;
  }
  if (/[.:]/.test(deploymentName) || deploymentName.startsWith('__'))
    throw envError(
      'FLOWSTATE_DEPLOYMENT_NAME',
      deploymentName,
      "a name without '.' or ':' that does not start with '__'",
    );
  if (buildId !== undefined && buildId !== '' && buildId.startsWith('__'))
    throw envError('FLOWSTATE_BUILD_ID', buildId, "a build id that does not start with '__'");
  let behavior = DEFAULT_VERSIONING_BEHAVIOR;
  if (behaviorName) {
    const known = VERSIONING_BEHAVIORS[behaviorName.toLowerCase() as keyof typeof VERSIONING_BEHAVIORS];
    if (!known)
      throw envError(
        'FLOWSTATE_VERSIONING_BEHAVIOR',
        behaviorName,
        `one of ${Object.keys(VERSIONING_BEHAVIORS).join(', ')}`,
      );
    behavior = known;
  }
  return { deploymentName, ...(buildId ? { buildId } : {}), behavior };
}

/**
 * The worker's `workerDeploymentOptions`: versioning on, with the build id given or else `bundleHash`
 * (so a change to the workflow code is a new build). Throws when there is neither.
 */
export function workerDeploymentOptions(
  settings: DeploymentSettings,
  bundleHash: string | undefined,
): NonNullable<WorkerOptions['workerDeploymentOptions']> {
  const buildId = settings.buildId ?? bundleHash;
  if (!buildId)
    throw new EnvError(
      `FLOWSTATE_BUILD_ID is not set and the workflow bundle has no manifest to take its hash from: set FLOWSTATE_BUILD_ID for deployment '${settings.deploymentName}'`,
    );
  const version: WorkerDeploymentVersion = { deploymentName: settings.deploymentName, buildId };
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: settings.behavior };
}
