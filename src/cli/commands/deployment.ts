/**
 * `flowstate deployment status|set-current`: a rolling upgrade's two operator steps (docs/operations.md,
 * "Upgrading workers"): see a Worker Deployment's builds, and make a build current.
 */
import type { Command } from 'commander';
import { CliError, note, out, outJson } from '../output';
import { withClient } from './client';

/** `--name`, else FLOWSTATE_DEPLOYMENT_NAME (what the workers were started with). */
function deploymentName(o: { name?: string }): string {
  const name = o.name ?? process.env.FLOWSTATE_DEPLOYMENT_NAME?.trim();
  if (!name)
    throw new CliError(
      'name the deployment: --name NAME, or FLOWSTATE_DEPLOYMENT_NAME as the workers have it',
      2,
    );
  return name;
}

/** The server answered no (invalid argument, not found, failed precondition): not a connection error. */
function refused(e: unknown): boolean {
  return [3, 5, 9].includes((e as { code?: number }).code ?? -1);
}

/** `deployment`: `status` and `set-current`. */
export function deploymentCommand(program: Command): void {
  const deployment = program
    .command('deployment')
    .description("a Worker Deployment's builds (status) and which one new runs start on (set-current)")
    .addHelpText(
      'after',
      `\nExamples:\n  $ flowstate deployment status --name flowstate\n  $ FLOWSTATE_DEPLOYMENT_NAME=flowstate flowstate deployment set-current 3f2a9c0d1e4b5a6f\n\nWorkers join a deployment with FLOWSTATE_DEPLOYMENT_NAME (docs/operations.md, "Upgrading workers").`,
    );
  deployment
    .command('status')
    .description(
      'each build of the deployment: current, draining (old runs may still need it), drained, inactive',
    )
    .option('--name <deployment>', 'the deployment (default: FLOWSTATE_DEPLOYMENT_NAME)')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; json?: boolean }) => {
      const { describeDeployment } =
        require('../../client/deployments') as typeof import('../../client/deployments');
      const name = deploymentName(o);
      const status = await withClient((c) => describeDeployment(c.client, name)).catch((e: Error) => {
        if (!refused(e)) throw e;
        throw new CliError(
          `deployment ${name}: ${e.message}; no worker with FLOWSTATE_DEPLOYMENT_NAME=${name} has polled this namespace yet`,
          1,
        );
      });
      if (o.json) return outJson(status);
      out(
        `deployment ${status.name}: current build ${status.current ?? '(none: unversioned workers get new runs)'}`,
      );
      for (const b of status.builds)
        out(`${b.buildId}\t${b.status}${b.drainage && b.drainage !== b.status ? ` (${b.drainage})` : ''}`);
      if (status.builds.length === 0) note('no builds: no worker of this deployment has polled yet');
    });
  deployment
    .command('set-current')
    .description(
      'make a build current: new runs start on it, auto-upgrade runs move to it at their next step',
    )
    .argument('<build-id>', "a build whose workers are running (see 'flowstate deployment status')")
    .option('--name <deployment>', 'the deployment (default: FLOWSTATE_DEPLOYMENT_NAME)')
    .action(async (buildId: string, o: { name?: string }) => {
      const { setCurrentBuild } =
        require('../../client/deployments') as typeof import('../../client/deployments');
      const name = deploymentName(o);
      await withClient((c) => setCurrentBuild(c.client, name, buildId)).catch((e: Error) => {
        if (!refused(e)) throw e;
        throw new CliError(
          `build ${buildId} of deployment ${name} was not made current: ${e.message}; its workers (FLOWSTATE_DEPLOYMENT_NAME=${name}) must be running and 'flowstate deployment status --name ${name}' must list it`,
          1,
        );
      });
      out(`deployment ${name}: current build ${buildId}`);
    });
}
