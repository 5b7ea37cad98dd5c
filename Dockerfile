# One Dockerfile, two images (docker-compose.yml picks the target):
#   services  the localnet, the deploy and migrate jobs, the indexer and the API — the same
#             image, each service runs its own entry point (the compose file's `command`)
#   app       the web app: `next build` when the image is built, `next start` when it runs
# The committed program binaries (programs/deploy/*.so) are used as they are: no Rust here.

FROM node:20-bookworm-slim AS deps
WORKDIR /ece
# The workspaces' manifests first, so a source change does not reinstall everything.
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/
COPY migrations/package.json migrations/
COPY indexer/package.json indexer/
COPY api/package.json api/
COPY tests/package.json tests/
COPY scripts/package.json scripts/
COPY app/package.json app/
# No dependency install scripts: Postgres and Redis are services of their own (embedded
# Postgres is for `npm run dev`), the native WebSocket add-ons have JavaScript fallbacks,
# and the Prisma client is generated below from the schema (no engine download).
RUN npm install --no-audit --no-fund --ignore-scripts

FROM deps AS services
COPY . .
RUN npm run db:generate \
  && mkdir -p /data && chown node:node /data
USER node
# Each service overrides this; the API is the default.
CMD ["node", "--import", "tsx", "api/src/main.ts", "--host", "0.0.0.0"]

FROM deps AS app
COPY . .
# next start keeps its caches under .next: the user it runs as must own it.
RUN npm run build:app && chown -R node:node app/.next
USER node
WORKDIR /ece/app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
EXPOSE 3000
CMD ["node", "../node_modules/next/dist/bin/next", "start", "-p", "3000", "-H", "0.0.0.0"]
