// Where people reach Spar, decided once from PUBLIC_URL, SPAR_ALLOWED_HOSTS and SPAR_ENV: the
// origins whose pages may write (the origin check, the practice websocket) and the host names a
// request may name (the host check against DNS rebinding).
import type { AppConfig } from "./env.ts";

/** A DNS name, an IPv4 address or a bracketed IPv6 address, lower case, without a port. */
const hostNamePattern = /^(?:[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

export function isHostName(text: string): boolean {
  return hostNamePattern.test(text);
}

/**
 * The host name a Host header names, lower case, without its port or a final dot; null when the
 * header is missing or is not a plain host[:port] (a URL parser would read `user@localhost` as
 * localhost, so none is used).
 */
export function hostNameOf(header: string | undefined): string | null {
  const match = /^(.+?)(?::\d{1,5})?$/.exec(header?.trim().toLowerCase() ?? "");
  const name = match?.[1]?.replace(/\.$/, "");
  return name !== undefined && isHostName(name) ? name : null;
}

/** The names this machine calls itself: only a process on it (or a browser on it) uses them. */
const loopbackNames = ["localhost", "127.0.0.1", "[::1]"];

export interface PublicAddress {
  /** Origins whose pages may send state-changing requests and open the practice websocket. */
  origins: readonly string[];
  /**
   * Host names, on any port, that requests may name. The port is not compared: a rebinding
   * attacker controls the name the browser sends, not which names Spar accepts.
   */
  hostNames: ReadonlySet<string>;
}

export function publicAddress(config: Pick<AppConfig, "publicUrl" | "publicUrlSet" | "allowedHosts" | "environment">): PublicAddress {
  const origins = [config.publicUrl.origin];
  // The Vite dev server's page, which proxies the API to this process.
  if (config.environment === "development") origins.push("http://localhost:5173");
  const hostNames = new Set([config.publicUrl.hostname.toLowerCase(), ...config.allowedHosts]);
  // Loopback names while developing or testing, and wherever no public address was given (the
  // default install, reached on this machine): a rebound name is never one of them.
  if (config.environment !== "production" || !config.publicUrlSet) for (const name of loopbackNames) hostNames.add(name);
  return { origins, hostNames };
}
