# syntax=docker/dockerfile:1
# Placement decision service. Build: docker build -t placement .
# Run (embedded SQLite in the /data volume): docker run -p 3000:3000 -v placement-data:/data placement
# PostgreSQL: set DATABASE_URL=postgresql://... and run `node dist/cli/main.js db migrate` once per release.

# Node.js 22, a supported LTS line (maintained until April 2027; 20 reached end of life in April
# 2026). Not 24 yet: better-sqlite3 12 aborts there when a statement is finalised after its
# environment is gone (SIGABRT in RemoveEnvironmentCleanupHook; seen in this project's own suite
# on 24.21, and reported upstream as crashes under normal use), and better-sqlite3 13, which
# fixes that, no longer runs on Node 20. The suite passes on 20 and on 22 from the same
# package-lock.json (README, "Testing").
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source: no prebuilt binary is downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
# postinstall generates both Prisma clients from prisma/models.prisma.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# MALLOC_ARENA_MAX: glibc's allocator gives each thread that allocates an arena of its own (up to
# eight per core) and keeps what is freed in each; two arenas hold 20-25 MB less after an export
# of 100 000 rows at the same speed (BENCHMARKS.md, the thirteenth session). As `npm start` sets it.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/placement.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1's only child-free process here and handles SIGTERM itself (graceful close).
CMD ["node", "dist/server.js"]
