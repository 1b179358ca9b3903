/** TLS material from PEM files, as the servers' and CLI's flags name them. */
import { readFileSync } from "node:fs";
import type { TlsClientOptions, TlsServerOptions } from "./types.js";

export interface TlsServerFiles {
  cert?: string | undefined;
  key?: string | undefined;
  /** Mutual TLS: clients must present a certificate this CA signed. */
  clientCa?: string | undefined;
}

/** Undefined when no file is named; throws (naming the flag) when only half a pair is. */
export function readTlsServerFiles(f: TlsServerFiles): TlsServerOptions | undefined {
  if (f.cert === undefined && f.key === undefined) {
    if (f.clientCa !== undefined) throw new Error("--tls-client-ca needs --tls-cert and --tls-key");
    return undefined;
  }
  if (f.cert === undefined || f.key === undefined) {
    throw new Error("--tls-cert and --tls-key go together");
  }
  return {
    cert: read(f.cert, "--tls-cert"),
    key: read(f.key, "--tls-key"),
    ...(f.clientCa === undefined ? {} : { ca: read(f.clientCa, "--tls-client-ca") }),
  };
}

export interface TlsClientFiles {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/** Undefined when no file is named: the client dials plain TCP. */
export function readTlsClientFiles(f: TlsClientFiles): TlsClientOptions | undefined {
  if (f.ca === undefined && f.cert === undefined && f.key === undefined) return undefined;
  if ((f.cert === undefined) !== (f.key === undefined)) {
    throw new Error("--tls-cert and --tls-key go together");
  }
  return {
    ...(f.ca === undefined ? {} : { ca: read(f.ca, "--tls-ca") }),
    ...(f.cert === undefined ? {} : { cert: read(f.cert, "--tls-cert") }),
    ...(f.key === undefined ? {} : { key: read(f.key, "--tls-key") }),
  };
}

function read(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      cause: e,
    });
  }
}
