# Flowstate worker image: `docker build -t flowstate .`, then `docker run flowstate` runs
# `flowstate worker` (TEMPORAL_ADDRESS etc. from the environment, see docs/operations.md).
# Any other CLI command works too: `docker run --rm flowstate validate definitions/hello.yaml`.
#
# Debian (glibc) rather than Alpine: Temporal's native core and the SWC compiler that bundles the
# workflow code ship prebuilt for glibc.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; tsx (which runs the TypeScript CLI) is one of them.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
COPY definitions ./definitions
# The interpreter's workflow bundle, built once here (dist/workflow-bundle.js and its manifest), so the
# worker starts without webpack; it checks the manifest against src/ at start (docs/operations.md).
COPY scripts/build-workflow-bundle.ts ./scripts/build-workflow-bundle.ts
RUN node_modules/.bin/tsx scripts/build-workflow-bundle.ts
COPY deploy/worker-healthcheck.js ./deploy/worker-healthcheck.js
# The image's files stay root-owned and read-only to the process, which runs as the unprivileged
# `node` user of the base image.
USER node
# Prometheus metrics when FLOWSTATE_METRICS_PORT=9464 is set.
EXPOSE 9464
# Healthy once the worker has started (its metrics show it); always healthy when metrics are off.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/worker-healthcheck.js"]
# The `flowstate` command (bin/flowstate.js runs the TypeScript CLI through tsx, no build step).
ENTRYPOINT ["node", "bin/flowstate.js"]
CMD ["worker"]
