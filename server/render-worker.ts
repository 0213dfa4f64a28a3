/**
 * A render process (see render-pool.ts): Next.js behind a private Unix socket. A request
 * marked with RENDER_HEADER gets the finished answer of `localRenderer` (status and caching
 * from what the render learned) in one piece; any other request is Next.js's own answer,
 * streamed (static files, client-side navigations). The process lowers its CPU priority, so
 * the server's own process (cache hits) always comes first, and ends with its parent.
 */
import { readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { setPriority } from "node:os";
import { httpServerConfig } from "../lib/config";
import type { RouteKind } from "../lib/http/security-headers";
import { RENDER_HEADER } from "./render-pool";
import { type Handler, localRenderer } from "./render";

export function serveRenders(handle: Handler, socketPath: string): void {
  lowerPriority(httpServerConfig().renderNice);
  const renderer = localRenderer(handle);
  const server = createServer(async (req, res) => {
    const kind = req.headers[RENDER_HEADER];
    if (typeof kind !== "string") {
      await handle(req, res).catch((err: unknown) => {
        console.error("[render] request failed", err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
        if (!res.writableEnded) res.end("Internal error, logged on the server.");
      });
      return;
    }
    const left = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) left.abort(); // the HTTP layer gave up (client gone, deadline)
    });
    const headers = { ...req.headers };
    delete headers[RENDER_HEADER];
    try {
      const answer = await renderer.render({ url: req.url ?? "/", headers }, kind as RouteKind, left.signal);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch (err) {
      if (!left.signal.aborted) console.error("[render]", err);
      res.destroy(); // the HTTP layer sees the render fail
    }
  });
  // The HTTP layer's connections stay open: closing an idle one could race a new render on it.
  server.keepAliveTimeout = 0;
  rmSync(socketPath, { force: true }); // left by a render process that crashed
  server.listen(socketPath, () => process.send?.("ready"));
  // The server's own process went away (even killed): end with it.
  process.on("disconnect", () => process.exit(0));
}

/**
 * On Linux the priority belongs to each thread: lower it for every thread that exists now (V8's
 * helpers); threads started later inherit it from the main thread.
 */
function lowerPriority(nice: number): void {
  if (nice === 0) return;
  let threads: number[] = [0];
  try {
    threads = readdirSync("/proc/self/task").map(Number);
  } catch {
    // not Linux: the whole process at once
  }
  for (const tid of threads) {
    try {
      setPriority(tid, nice);
    } catch {
      // not permitted here: renders then compete with cache hits on equal terms
    }
  }
}
