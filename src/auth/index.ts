/** Verified deciders, worker side: the verifier from the environment and the `verifyDecider` activity. */
import { authConfigFromEnv } from './config';
import { createVerifier, type DeciderVerifier } from './verifier';

export {
  authConfigFromEnv,
  AuthConfigError,
  DEFAULT_AUDIENCE,
  keySourceSummary,
  type AuthConfig,
} from './config';
export { createVerifier, makeVerifyDecider, type DeciderVerifier } from './verifier';

/** The verifier `FLOWSTATE_AUTH_*` configure, or undefined; throws `AuthConfigError` on a bad setting. */
export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): DeciderVerifier | undefined {
  const config = authConfigFromEnv(env);
  return config ? createVerifier(config) : undefined;
}
