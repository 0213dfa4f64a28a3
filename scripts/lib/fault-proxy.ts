/**
 * An HTTP proxy between the dashboard and a real PocketBase that counts what reaches PocketBase
 * and can make the link slow, hold requests, or drop them — faults a real network has. The
 * answers themselves are PocketBase's own.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyMode = { kind: "pass" } | { kind: "delay"; ms: number } | { kind: "hold" } | { kind: "drop" };

export interface FaultProxy {
  url: string;
  /** Requests forwarded to PocketBase so far. */
  readonly forwarded: number;
  /** Most requests in flight at once so far. */
  readonly maxConcurrent: number;
  /** Requests waiting while mode is "hold". */
  readonly held: number;
  paths: string[];
  setMode(mode: ProxyMode): void;
  /** Forwards every held request. */
  release(): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: ProxyMode = { kind: "pass" };
  let forwarded = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  let held: (() => void)[] = [];
  const paths: string[] = [];

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    forwarded++;
    paths.push(req.url ?? "");
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    const done = () => concurrent--;
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on("end", done);
    });
    out.on("error", () => {
      done();
      res.destroy();
    });
    res.on("close", () => out.destroy());
    out.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const m = mode;
      if (m.kind === "drop") return void res.destroy();
      if (m.kind === "delay") return void setTimeout(() => forward(req, res, body), m.ms);
      if (m.kind === "hold") return void held.push(() => forward(req, res, body));
      forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get forwarded() {
      return forwarded;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    get held() {
      return held.length;
    },
    paths,
    setMode(m) {
      mode = m;
    },
    release() {
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
    reset() {
      forwarded = 0;
      maxConcurrent = concurrent;
      paths.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
