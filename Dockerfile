# The dashboard as a container image (UNTESTED here: the development machine has no Docker
# engine; docs/PRODUCTION.md). It runs the self-contained build in .next/standalone with the
# production HTTP server (dist/server.mjs, copied in as server.mjs by `npm run build`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=optional
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
COPY --from=build /app/.next/standalone ./
USER node
EXPOSE 3000
CMD ["node", "server.mjs"]
