/**
 * Secrets (`{{ secrets.NAME }}`): the names a worker allows (`FLOWSTATE_SECRETS`), their values from
 * its environment (or the test kit's stubs), the scope a task's templates are evaluated in, and the
 * redaction of secret values from everything that leaves the worker.
 */
export { allowedSecretNames, SECRETS_ENV } from './allowed';
export { mergeReads, SECRETS_ROOT, secretReadsOf, type SecretReads } from './names';
export { REDACTED, Redactor } from './redact';
export { processRedactor, registerSecretValues } from './registry';
export { NO_SECRETS, Secrets, secretsOfRun, type SecretOrigin, type SecretSource } from './resolver';
export { expressionsIn, TaskSecrets } from './task';
