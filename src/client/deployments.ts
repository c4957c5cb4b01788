/**
 * A Worker Deployment as an operator sees it during a rolling upgrade (docs/operations.md, "Upgrading
 * workers"): its builds, which one is current, whether an old one still has runs; and making a build
 * current. Thin wrappers on Temporal's DescribeWorkerDeployment / SetWorkerDeploymentCurrentVersion.
 */
import os from 'node:os';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';

const { WorkerDeploymentVersionStatus: Status, VersionDrainageStatus: Drainage } = temporal.api.enums.v1;

/** One build of a deployment: `status` current, ramping, draining, drained or inactive (no runs yet). */
export interface DeploymentBuild {
  buildId: string;
  status: string;
  /** For a draining build: whether runs may still need it (`draining`) or none do (`drained`). */
  drainage?: string;
  createdAt?: Date;
}

/** A deployment: its builds (newest first) and the current one (undefined: unversioned workers get new runs). */
export interface DeploymentStatus {
  name: string;
  current?: string;
  builds: DeploymentBuild[];
}

/** `WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING` → `draining`. */
function enumName(names: Record<number, string>, value: number | null | undefined, prefix: string): string {
  return (names[value ?? 0] ?? 'unspecified').replace(prefix, '').toLowerCase();
}

/** The deployment `name`'s builds and its current one. Rejects with the server's NotFound when no worker of it ever polled. */
export async function describeDeployment(client: Client, name: string): Promise<DeploymentStatus> {
  const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
    namespace: client.options.namespace,
    deploymentName: name,
  });
  const builds = (info?.versionSummaries ?? []).map((v) => {
    const build: DeploymentBuild = {
      buildId: v.deploymentVersion?.buildId ?? '',
      status: enumName(Status, v.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_'),
    };
    if (v.drainageInfo?.status)
      build.drainage = enumName(Drainage, v.drainageInfo.status, 'VERSION_DRAINAGE_STATUS_');
    if (v.createTime?.seconds) build.createdAt = new Date(Number(v.createTime.seconds) * 1000);
    return build;
  });
  builds.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  const current = info?.routingConfig?.currentDeploymentVersion?.buildId || undefined;
  return { name, ...(current ? { current } : {}), builds };
}

/**
 * Make `buildId` the deployment's current build: new runs start on it, and auto-upgrade runs move to
 * it at their next workflow task. The server refuses a build none of whose workers has polled yet.
 */
export async function setCurrentBuild(client: Client, name: string, buildId: string): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName: name,
    buildId,
    identity: `flowstate@${os.hostname()}`,
  });
}
