/**
 * Renders run in separate processes (RENDER_WORKERS, default: one per core but one, at most
 * four), each Next.js behind render-worker.ts on a private Unix socket, at a lower CPU priority
 * (nice 5). The process that answers clients keeps the response cache and never runs React:
 * a render is tens of milliseconds of JavaScript that no event loop can interrupt (a deep app
 * page, 250 KB of HTML, blocked the loop for 50–170 ms at a time), so a cache hit arriving
 * meanwhile would wait for it. In its own process, at a lower priority, a render only takes
 * CPU time that cache hits do not need.
 *
 * A render process that exits is started again; renders it had in flight fail (the HTTP layer
 * answers 503 or a stale copy). Every render process ends with this one.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKER_SOCKET_ENV } from "../lib/config";
import type { RouteKind } from "../lib/http/security-headers";
import type { Captured } from "./capture";
import { type RenderRequest, type Renderer, TIMED_OUT_MESSAGE } from "./render";

/** The header that asks a render process for a finished answer (its value: the route kind). Never taken from a client. */
export const RENDER_HEADER = "x-dashboard-render";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"]);
const START_TIMEOUT_MS = 120_000;

interface Worker {
  socket: string;
  agent: Agent;
  child: ChildProcess | null;
  ready: boolean;
  inFlight: number;
}

export class RenderPool implements Renderer {
  private stopping = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly dir: string,
    private readonly script: string,
  ) {}

  /** Starts `n` render processes running `script` (this server's own file) and waits until all listen. */
  static async start(n: number, script: string): Promise<RenderPool> {
    const dir = mkdtempSync(join(tmpdir(), "dashboard-render-"));
    const workers = Array.from({ length: n }, (_, i) => {
      const socket = join(dir, `${i}.sock`);
      return { socket, agent: new Agent({ keepAlive: true }), child: null, ready: false, inFlight: 0 };
    });
    const pool = new RenderPool(workers, dir, script);
    try {
      await Promise.all(workers.map((w) => pool.spawn(w)));
    } catch (err) {
      pool.stop();
      throw err;
    }
    return pool;
  }

  async render(r: RenderRequest, kind: RouteKind, signal: AbortSignal): Promise<Captured> {
    const w = this.pick();
    w.inFlight++;
    try {
      return await new Promise<Captured>((resolve, reject) => {
        const up = request({ agent: w.agent, socketPath: w.socket, path: r.url, method: "GET", headers: { ...forwardable(r.headers), [RENDER_HEADER]: kind }, signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: answerHeaders(res.headers, ["content-length", "date"]), body: Buffer.concat(chunks) }));
          res.on("error", reject);
        });
        up.on("error", reject);
        up.end();
      });
    } finally {
      w.inFlight--;
    }
  }

  pass(req: IncomingMessage, res: ServerResponse, signal?: AbortSignal): Promise<void> {
    const w = this.pick();
    w.inFlight++;
    return new Promise<void>((resolve) => {
      const done = () => {
        w.inFlight--;
        resolve();
      };
      const headers = forwardable(req.headers);
      delete headers[RENDER_HEADER];
      const up = request({ agent: w.agent, socketPath: w.socket, path: req.url, method: req.method, headers }, (answer) => {
        // Next.js's headers win over ours, as when it writes the response itself.
        for (const [k, v] of Object.entries(answerHeaders(answer.headers))) if (v !== undefined) res.setHeader(k, v);
        res.writeHead(answer.statusCode ?? 502);
        answer.pipe(res);
      });
      up.on("error", () => {
        if (res.writableEnded) return; // cut off at the deadline: answered already
        if (!res.headersSent)
          res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": "5" }).end("The server is restarting; please retry.");
        else res.destroy();
      });
      const onAbort = () => {
        up.destroy(); // before anything more of the answer is written
        if (res.headersSent) res.destroy();
        else res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": "5" }).end(TIMED_OUT_MESSAGE);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      res.once("close", () => {
        signal?.removeEventListener("abort", onAbort);
        up.destroy();
        done();
      });
      req.pipe(up);
    });
  }

  stop(): void {
    this.stopping = true;
    for (const w of this.workers) {
      w.child?.kill("SIGTERM");
      w.agent.destroy();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The ready process with the fewest requests in flight (any process while none is ready: its request fails fast). */
  private pick(): Worker {
    let best: Worker | undefined;
    for (const w of this.workers) if (w.ready && (!best || w.inFlight < best.inFlight)) best = w;
    return best ?? (this.workers[0] as Worker);
  }

  private spawn(w: Worker): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const child = fork(this.script, [], { env: { ...process.env, [WORKER_SOCKET_ENV]: w.socket }, execArgv: process.execArgv, stdio: "inherit" });
      w.child = child;
      const timer = setTimeout(() => reject(new Error(`a render process did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.on("message", (m) => {
        if (m !== "ready") return;
        clearTimeout(timer);
        w.ready = true;
        resolve();
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        w.ready = false;
        w.child = null;
        if (this.stopping) return;
        console.error(`[server] a render process exited (${signal ?? `exit ${code}`}); starting another`);
        reject(new Error(`a render process exited during start (${signal ?? `exit ${code}`})`));
        setTimeout(() => {
          if (!this.stopping) this.spawn(w).catch((err: unknown) => console.error("[server]", err));
        }, 1000).unref();
      });
    });
  }
}

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && k !== RENDER_HEADER) out[k] = v;
  return out;
}

function answerHeaders(headers: IncomingHttpHeaders, drop: string[] = []): Captured["headers"] {
  const out: Captured["headers"] = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && !drop.includes(k)) out[k] = v;
  return out;
}
