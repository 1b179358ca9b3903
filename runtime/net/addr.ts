/** `host:port` addresses as servers advertise them (spec 3.2); IPv6 hosts in brackets. */
export interface HostPort {
  host: string;
  port: number;
}

/** Splits `host:port` (or `[v6]:port`); null when it is not one. */
export function parseAddr(addr: string): HostPort | null {
  const colon = addr.lastIndexOf(":");
  if (colon <= 0) return null;
  let host = addr.slice(0, colon);
  const portText = addr.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  else if (host.includes(":")) return null;
  return host === "" ? null : { host, port };
}

export function formatAddr(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
