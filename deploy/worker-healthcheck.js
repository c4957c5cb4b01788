#!/usr/bin/env node
/**
 * Container healthcheck of a Flowstate worker: healthy when its Prometheus endpoint
 * (FLOWSTATE_METRICS_PORT) answers and shows that a Temporal worker has started
 * (`temporal_worker_start`). Without FLOWSTATE_METRICS_PORT there is nothing to probe: healthy while
 * the process runs (it exits when the worker fails, and the restart policy takes over).
 */
const port = process.env.FLOWSTATE_METRICS_PORT;
if (!port) process.exit(0);

fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(4000) })
  .then(async (res) => {
    const text = res.ok ? await res.text() : '';
    const started = /^temporal_worker_start(\{[^}]*\})? [1-9]/m.test(text);
    if (!started)
      console.error(
        res.ok ? 'metrics answer, but no Temporal worker has started yet' : `metrics answered ${res.status}`,
      );
    process.exit(started ? 0 : 1);
  })
  .catch((e) => {
    console.error(`metrics endpoint not reachable: ${e.message}`);
    process.exit(1);
  });
