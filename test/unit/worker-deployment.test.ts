import { EnvError } from '../../src/env';
import { deploymentFromEnv, workerDeploymentOptions } from '../../src/worker-deployment';

test('no FLOWSTATE_DEPLOYMENT_NAME: an unversioned worker, as before', () => {
  expect(deploymentFromEnv({})).toBeUndefined();
  expect(deploymentFromEnv({ FLOWSTATE_DEPLOYMENT_NAME: '  ' })).toBeUndefined();
});

test('a deployment name opts in: auto-upgrade by default, the bundle hash as build id', () => {
  const settings = deploymentFromEnv({ FLOWSTATE_DEPLOYMENT_NAME: 'flowstate' })!;
  expect(settings).toEqual({ deploymentName: 'flowstate', behavior: 'AUTO_UPGRADE' });
  expect(workerDeploymentOptions(settings, '0123456789abcdef')).toEqual({
    useWorkerVersioning: true,
    version: { deploymentName: 'flowstate', buildId: '0123456789abcdef' },
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  });
});

test('FLOWSTATE_BUILD_ID and FLOWSTATE_VERSIONING_BEHAVIOR=pinned are taken as given', () => {
  const settings = deploymentFromEnv({
    FLOWSTATE_DEPLOYMENT_NAME: 'flowstate',
    FLOWSTATE_BUILD_ID: 'v2.3.0',
    FLOWSTATE_VERSIONING_BEHAVIOR: 'Pinned',
  })!;
  expect(workerDeploymentOptions(settings, '0123456789abcdef')).toEqual({
    useWorkerVersioning: true,
    version: { deploymentName: 'flowstate', buildId: 'v2.3.0' },
    defaultVersioningBehavior: 'PINNED',
  });
});

test('values the server would refuse, or that do nothing, fail at start naming the variable', () => {
  expect(() => deploymentFromEnv({ FLOWSTATE_BUILD_ID: 'v2' })).toThrow(
    'FLOWSTATE_BUILD_ID is set but FLOWSTATE_DEPLOYMENT_NAME is not: set FLOWSTATE_DEPLOYMENT_NAME to version this worker, or unset FLOWSTATE_BUILD_ID',
  );
  expect(() => deploymentFromEnv({ FLOWSTATE_VERSIONING_BEHAVIOR: 'pinned' })).toThrow(EnvError);
  expect(() => deploymentFromEnv({ FLOWSTATE_DEPLOYMENT_NAME: 'flow.state' })).toThrow(
    "FLOWSTATE_DEPLOYMENT_NAME must be a name without '.' or ':' that does not start with '__'; got 'flow.state'",
  );
  expect(() => deploymentFromEnv({ FLOWSTATE_DEPLOYMENT_NAME: 'f', FLOWSTATE_BUILD_ID: '__b' })).toThrow(
    EnvError,
  );
  expect(() =>
    deploymentFromEnv({ FLOWSTATE_DEPLOYMENT_NAME: 'f', FLOWSTATE_VERSIONING_BEHAVIOR: 'sticky' }),
  ).toThrow("FLOWSTATE_VERSIONING_BEHAVIOR must be one of auto-upgrade, pinned; got 'sticky'");
  expect(() => workerDeploymentOptions({ deploymentName: 'f', behavior: 'PINNED' }, undefined)).toThrow(
    /set FLOWSTATE_BUILD_ID for deployment 'f'/,
  );
});
