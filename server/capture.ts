/**
 * Runs Next.js's request handler with the response held back: status, headers and body are
 * collected instead of sent, so the server can decide the status (503 when data was missing),
 * Cache-Control, ETag and compression from the whole answer, and store it. This is the same
 * technique as the `compression` middleware (which Next.js's response writer supports): the
 * ServerResponse's write/end/writeHead/flushHeaders are replaced for the duration, headers
 * stay on the response object, and nothing reaches the socket until we send it ourselves.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

export interface Captured {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

type WriteCb = (err?: Error | null) => void;

export function capture(req: IncomingMessage, res: ServerResponse, handle: Handler, signal?: AbortSignal): Promise<Captured> {
  const chunks: Buffer[] = [];
  const original = { write: res.write, end: res.end, writeHead: res.writeHead, flushHeaders: res.flushHeaders };
  const restore = () => Object.assign(res, original);
  const toBuffer = (chunk: unknown, encoding?: BufferEncoding) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);

  return new Promise<Captured>((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const headers = res.getHeaders();
      for (const name of Object.keys(headers)) res.removeHeader(name);
      restore();
      resolve({ status: res.statusCode, headers, body: Buffer.concat(chunks) });
    };
    res.flushHeaders = () => undefined;
    res.writeHead = function writeHead(this: ServerResponse, status: number, ...rest: unknown[]) {
      res.statusCode = status;
      const headers = rest.find((r) => typeof r === "object" && r !== null) as OutgoingHttpHeaders | [string, string][] | undefined;
      if (Array.isArray(headers)) for (const [k, v] of headers) res.setHeader(k, v);
      else if (headers) for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
      return res;
    } as ServerResponse["writeHead"];
    res.write = function write(chunk: unknown, encodingOrCb?: BufferEncoding | WriteCb, cb?: WriteCb) {
      if (!done && chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, typeof encodingOrCb === "string" ? encodingOrCb : undefined));
      const callback = typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (callback) queueMicrotask(() => callback());
      return true;
    } as ServerResponse["write"];
    res.end = function end(chunk?: unknown, encodingOrCb?: BufferEncoding | (() => void), cb?: () => void) {
      if (!done && chunk !== undefined && chunk !== null && typeof chunk !== "function") {
        chunks.push(toBuffer(chunk, typeof encodingOrCb === "string" ? encodingOrCb : undefined));
      }
      finish();
      const callback = typeof chunk === "function" ? chunk : typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (callback) res.once("finish", () => (callback as () => void)());
      return res;
    } as ServerResponse["end"];
    signal?.addEventListener("abort", () => {
      if (done) return;
      done = true;
      restore();
      reject(signal.reason); // why: the deadline passed, or the client left
    });
    // The client went away before the answer was complete: Next.js aborts the render.
    res.once("close", () => {
      if (done) return;
      done = true;
      restore();
      reject(new Error("client closed the connection during the render"));
    });
    Promise.resolve(handle(req, res)).catch((err: unknown) => {
      if (done) return;
      done = true;
      restore();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}
