import { envPort, envUrl, EnvError } from '../../src/env';
import { logLevelFromEnv } from '../../src/logging';
import { settingsFromEnv, webUiUrl, splitAddress } from '../../src/connection';

test('one line naming the variable, what it got and what it takes', () => {
  expect(() => envPort({ P: 'abc' }, 'P')).toThrow(
    new EnvError("P must be a port number (1-65535); got 'abc'"),
  );
  expect(() => envUrl({ U: 'x.example' }, 'U')).toThrow(
    "U must be an http:// or https:// URL; got 'x.example'",
  );
  expect(() => logLevelFromEnv({ FLOWSTATE_LOG_LEVEL: 'loud' })).toThrow(
    "FLOWSTATE_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; got 'loud'",
  );
  expect(logLevelFromEnv({ FLOWSTATE_LOG_LEVEL: ' WARN ' })).toBe('warn');
  expect(() => settingsFromEnv({ TEMPORAL_ADDRESS: 'http://x:7233' })).toThrow(EnvError);
});

test('the Web UI: FLOWSTATE_UI_URL, else the dev server of the address (gRPC port + 1000)', () => {
  expect(webUiUrl('localhost:7233', {})).toBe('http://localhost:8233');
  expect(webUiUrl('127.0.0.1:27233', {})).toBe('http://127.0.0.1:28233');
  expect(webUiUrl('127.0.0.1:27233', { FLOWSTATE_UI_URL: 'https://ui.example/' })).toBe('https://ui.example');
  expect(splitAddress('[::1]:7300')).toEqual({ host: '::1', port: 7300 });
  expect(splitAddress('temporal')).toEqual({ host: 'temporal', port: 7233 });
});
