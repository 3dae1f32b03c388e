# syntax=docker/dockerfile:1
# opensearch-ml-sidecar: compiled JavaScript on node, as an unprivileged user.
#   docker build -t opensearch-ml-sidecar:0.1.0 .
# See README "Deploy" (compose.yaml, deploy/kubernetes/).

# Build: every dependency (TypeScript; better-sqlite3 compiles its native module here), then the
# compiled service, then the development dependencies dropped again.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: node runs dist/main.js directly (PID 1 gets SIGTERM and drains; no npm or shell between).
FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=9280 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY pipelines ./pipelines
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9280
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
