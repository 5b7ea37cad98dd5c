// Where webhooks may be sent: public addresses only, so a subscriber cannot make the
// API call into its own network (metadata services, databases, admin ports). Checked
// when subscribing, before each delivery, and at connect time on the address actually
// dialled (a name that resolves differently the second time — DNS rebinding — is
// caught there). WEBHOOK_ALLOW_PRIVATE lifts it for local development and tests.
import { type LookupAddress, lookup as lookupCallback } from "node:dns";
import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent } from "undici";

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 127], // unspecified and loopback
  ["::ffff:0:0", 96], // IPv4-mapped: public IPv4 resolves as IPv4
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv6");
}

const isPrivate = (a: LookupAddress) => PRIVATE.check(a.address, a.family === 6 ? "ipv6" : "ipv4");

/** A DNS lookup for sockets that fails on any private or local answer. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookupCallback(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "");
    const inside = addresses.find(isPrivate);
    if (inside) {
      return callback(
        Object.assign(new Error(`${hostname} resolved to a private address (${inside.address})`), { code: "EPRIVATE" }),
        "",
      );
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

/** The HTTP agent deliveries use when private destinations are not allowed. */
export const publicOnlyAgent = (): Agent => new Agent({ connect: { lookup: publicLookup } });

/** Why `url` may not receive webhooks, or null when it may. */
export async function refusedDestination(url: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true });
    } catch {
      return `${host} does not resolve`;
    }
  }
  const inside = addresses.find(isPrivate);
  return inside
    ? `${host} is a private or local address (${inside.address}); webhooks go to public addresses only`
    : null;
}
