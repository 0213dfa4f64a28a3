/**
 * `npm start`: the production server — the HTTP layer of server/front.ts answering clients,
 * Next.js rendering in render processes behind it (render-pool.ts; the same file started again
 * with DASHBOARD_RENDER_SOCKET set), or in this process with RENDER_WORKERS=0. Configuration
 * comes from the environment when it starts (README, "Environment"). Built by `npm run build`
 * into dist/server.mjs; runs from the project directory or from Next.js's standalone output
 * (dist/server.mjs copied beside its server.js).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { admissionConfig, httpServerConfig, originConfig, rateLimitConfig, securityConfig } from "../lib/config";
import { scriptHash } from "../lib/http/security-headers";
import { REPORTER_CSP_SOURCE } from "../lib/embed/reporter";
import { THEME_SCRIPT } from "../lib/theme";
import { Admission } from "./admission";
import { createFront } from "./front";
import { RateLimiter } from "./rate-limit";
import { type Handler, localRenderer, type Renderer } from "./render";
import { RenderPool } from "./render-pool";
import { serveRenders } from "./render-worker";
import { ResponseCache } from "./response-cache";

/** The project directory: where .next is (dist/ is one level below it, or beside it when standalone). */
function projectDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return [resolve(here, ".."), here].find((d) => existsSync(join(d, ".next"))) ?? process.cwd();
}

/** Files served as they are: public/ and the app's metadata files. */
function publicFiles(dir: string): Set<string> {
  const files = new Set(["/favicon.ico", "/icon.svg"]);
  const walk = (base: string, prefix: string) => {
    if (!existsSync(base)) return;
    for (const e of readdirSync(base, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(base, e.name), `${prefix}/${e.name}`);
      else files.add(`${prefix}/${e.name}`);
    }
  };
  walk(join(dir, "public"), "");
  return files;
}

/**
 * Serve with the configuration the build was made with (as Next.js's own standalone server.js
 * does) instead of loading next.config.ts again at run time — which the standalone output
 * does not even contain.
 */
function applyBuildConfig(dir: string): void {
  const required = join(dir, ".next", "required-server-files.json");
  // Next.js's own internal variable, not configuration (lib/config.ts has that).
  if (existsSync(required) && !process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) {
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify((JSON.parse(readFileSync(required, "utf8")) as { config: unknown }).config);
  }
}

/** Inline scripts allowed by hash: the theme script on pages, the height reporter in widgets. */
function inlineScripts() {
  return { page: [scriptHash(THEME_SCRIPT)], embed: [REPORTER_CSP_SOURCE] };
}

/** Next.js's request handler for the build in `dir`, in this process. */
async function nextHandler(dir: string, host: string, port: number): Promise<Handler> {
  applyBuildConfig(dir);
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname: host === "0.0.0.0" ? "localhost" : host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (req, res) => handle(req, res);
}

async function main() {
  Object.assign(process.env, { NODE_ENV: "production" });
  const dir = projectDir();
  const config = httpServerConfig();
  const { port, host } = config;
  if (config.workerSocket) return serveRenders(await nextHandler(dir, host, port), config.workerSocket);

  const workers = config.renderWorkers;
  const renderer: Renderer & { stop?: () => void } =
    workers > 0 ? await RenderPool.start(workers, fileURLToPath(import.meta.url)) : localRenderer(await nextHandler(dir, host, port));

  const security = securityConfig();
  if (security.invalidOrigins.length) console.warn(`[server] EMBED_ALLOWED_ORIGINS: ignored ${security.invalidOrigins.join(", ")} (expected https://host[:port])`);
  const limiter = new RateLimiter(rateLimitConfig());
  const cache = config.responseCache ? new ResponseCache() : null;
  const front = createFront(
    renderer,
    {
      hops: originConfig().hops,
      security,
      publicFiles: publicFiles(dir),
      inlineScripts: inlineScripts(),
      renderTimeoutMs: config.renderTimeoutMs,
    },
    limiter,
    cache,
    new Admission(admissionConfig(workers)),
  );

  const server = createServer((req, res) => {
    front(req, res).catch((err: unknown) => {
      console.error("[server] request failed", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      if (!res.writableEnded) res.end("Internal error, logged on the server.");
    });
  });
  // Requests Node.js cannot parse (headers over 16 KB, malformed request lines) get a status
  // with a message instead of a bare one.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, text] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? ["431 Request Header Fields Too Large", "Request headers (or the URL) are too large."]
        : ["400 Bad Request", "The request could not be read."];
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
  });
  // Requests must never hang: slow clients and stuck renders are cut off.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.listen(port, host, () => console.log(`[server] ready on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`));

  const stop = () => {
    renderer.stop?.();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error("[server] could not start:", err);
  process.exit(1);
});
