/**
 * A local HTTP server standing in for Discord, Slack and a generic webhook receiver: it records
 * every request (path, headers, body) and answers what each path is scripted to — a success in
 * the service's own way (Discord 204, Slack 200 "ok"), a failure a number of times first, or
 * always a given status. The format checks are the services' documented limits.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

interface Script {
  /** Status codes of the first requests, in order; afterwards `status`. */
  first?: number[];
  status: number;
  body?: string;
}

export class AlertReceiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly counts = new Map<string, number>();
  private server: Server | null = null;
  url = "";

  script(path: string, s: Script): string {
    this.scripts.set(path, s);
    return `${this.url}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
        const n = this.counts.get(path) ?? 0;
        this.counts.set(path, n + 1);
        const s = this.scripts.get(path) ?? { status: 404 };
        const status = s.first?.[n] ?? s.status;
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 && status !== 204 ? (s.body ?? "ok") : status === 204 ? undefined : "scripted failure");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Discord's execute-webhook body (https://discord.com/developers/docs/resources/webhook#execute-webhook, embed limits). */
const discordEmbed = z.strictObject({
  title: z.string().max(256),
  url: z.url().optional(),
  description: z.string().max(4096).optional(),
  color: z.number().int().min(0).max(0xffffff),
  fields: z.array(z.strictObject({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024), inline: z.boolean() })).max(25),
  footer: z.strictObject({ text: z.string().max(2048) }),
});
export const DiscordWebhook = z
  .strictObject({
    content: z.string().min(1).max(2000),
    embeds: z.array(discordEmbed).min(1).max(10),
    allowed_mentions: z.strictObject({ parse: z.array(z.string()).length(0) }),
  })
  .refine(
    (b) =>
      b.embeds.reduce((s, e) => s + e.title.length + (e.description?.length ?? 0) + e.footer.text.length + e.fields.reduce((t, f) => t + f.name.length + f.value.length, 0), 0) <=
      6000,
    "embeds over 6,000 characters in all",
  );

/** Slack's incoming-webhook body with Block Kit blocks (https://api.slack.com/reference/block-kit/blocks). */
const plain = (max: number) => z.strictObject({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) => z.strictObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max) });
export const SlackWebhook = z.strictObject({
  text: z.string().min(1).max(3000),
  blocks: z
    .array(
      z.union([
        z.strictObject({ type: z.literal("header"), text: plain(150) }),
        z.strictObject({ type: z.literal("section"), text: mrkdwn(3000) }),
        z.strictObject({ type: z.literal("section"), fields: z.array(mrkdwn(2000)).min(1).max(10) }),
        z.strictObject({
          type: z.literal("actions"),
          elements: z
            .array(z.strictObject({ type: z.literal("button"), text: plain(75), url: z.url().max(3000) }))
            .min(1)
            .max(25),
        }),
      ]),
    )
    .min(1)
    .max(50),
});

export const GenericWebhook = z.strictObject({
  id: z.string().min(1),
  event: z.enum(["regression_opened", "regression_closed", "incident"]),
  sent_at: z.iso.datetime(),
  attempt: z.number().int().min(1),
  data: z.looseObject({ kind: z.string(), key: z.string() }),
});

/** Checks `X-Alert-Signature-256` as a receiver would: HMAC-SHA256 of the raw body, compared in constant time. */
export function validSignature(r: Received, secret: string): boolean {
  const header = r.headers["x-alert-signature-256"];
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(r.body).digest("hex"));
  const got = Buffer.from(header.slice(7));
  return got.length === expected.length && timingSafeEqual(got, expected);
}
