/**
 * The SSRF guard of alert targets: a subscription's URL is typed by whoever manages
 * subscriptions, and the worker runs inside the operator's network, so a target must not reach
 * what only that network can — loopback, private and link-local ranges (the cloud metadata
 * service at 169.254.169.254 among them), carrier-grade NAT, multicast, reserved and
 * documentation ranges, and IPv6's equivalents, IPv4-mapped and NAT64 forms included. Every
 * address a name resolves to must be public, and the request then connects to the address that
 * was checked (lib/alerts/http.ts), so a second DNS answer cannot swap it (rebinding).
 * `ALERTS_ALLOW_PRIVATE_TARGETS=1` turns the address check off (tests, a chat server on the LAN).
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["2001::", 23], // IETF protocol assignments (Teredo and ORCHID among them)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) address. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const m = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = Number.parseInt(m[2]!, 16);
  const lo = Number.parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when the address is public (neither of the ranges above). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, "ipv4");
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4) return !blocked.check(v4, "ipv4");
  return !blocked.check(address, "ipv6");
}

export class TargetRefused extends Error {
  override name = "TargetRefused";
}

export interface ResolvedTarget {
  url: URL;
  /** The checked address the request connects to. */
  address: string;
  family: 4 | 6;
}

/**
 * Parses and checks a target URL: http or https, no credentials, every address it resolves to
 * public (unless `allowPrivate`). Throws TargetRefused saying why; never names more of the URL
 * than its host (a webhook URL's path is its credential).
 */
export async function resolveTarget(raw: string, allowPrivate: boolean, resolve: typeof lookup = lookup): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused("not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetRefused(`scheme ${url.protocol} refused: http or https only`);
  if (url.username || url.password) throw new TargetRefused("credentials in the URL refused");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host, { all: true, verbatim: true });
    } catch (err) {
      throw new TargetRefused(`${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve`);
  if (!allowPrivate) {
    const inside = addresses.find((a) => !isPublicAddress(a.address));
    if (inside) throw new TargetRefused(`${host} resolves to ${inside.address}, a private, loopback, link-local or reserved address (set ALERTS_ALLOW_PRIVATE_TARGETS=1 to allow)`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
