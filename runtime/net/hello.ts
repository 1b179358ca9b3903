/**
 * The hello exchange's messages (spec 2.2). Its first six fields are frozen and later ones are
 * appended as optional, so that peers built from different schemas can always read it and tell
 * each other apart.
 */
import {
  decodeTversion,
  encodeRerror,
  encodeRversion,
  encodeTversion,
} from "../../generated/sigmap/codec.js";
import { fingerprint, protocol } from "../../generated/sigmap/registry.js";
import { errorCodes, MsgType, type Header, type Tversion } from "../../generated/sigmap/types.js";
import { registerErrorCodes, type SigmaError } from "../errors/index.js";
import { NO_DATA } from "../contract/transport.js";
import type { WireMessage } from "./types.js";

// The stack speaks sigmap: its error table describes the codes every layer raises (SigmaError's
// `not found: name/a`). Generated code registers nothing on import; this is where the runtime
// is handed the table.
registerErrorCodes(errorCodes);

/** What this side's hello says about the protocol. */
export const OUR_PROTOCOL = { version: protocol.name, fingerprint } as const;

export function helloHeader(type: number, client: bigint, session: bigint): Header {
  return {
    type,
    tag: 0,
    client,
    session,
    seqno: 0n,
    received: { start: 0n, end: 0n },
    fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
  };
}

/** The client's hello; `key` is the session's secret (absent only in hand-built test hellos). */
export function tversionMessage(
  msize: number,
  client: bigint,
  session: bigint,
  resume: boolean,
  key?: Uint8Array,
  credentials?: Uint8Array,
): WireMessage {
  const hello: Tversion = { msize, ...OUR_PROTOCOL, client, session, resume };
  if (key !== undefined) hello.key = key;
  if (credentials !== undefined && credentials.length > 0) hello.credentials = credentials;
  return {
    header: helloHeader(MsgType.Tversion, client, session),
    body: encodeTversion(hello),
    data: NO_DATA,
  };
}

// Fields appended to Tversion after its first six are optional, so a hello from a peer built
// before them still decodes and is told ProtocolMismatch rather than dropped as undecodable.
const HELLO_FIELDS = encodeTversion({
  msize: 0,
  ...OUR_PROTOCOL,
  client: 0n,
  session: 0n,
  resume: false,
}).length;
const FROZEN_FIELDS = 6;

/** Decodes a client's hello, reading missing appended fields as absent. */
export function decodeHello(body: unknown): Tversion {
  if (Array.isArray(body) && body.length >= FROZEN_FIELDS && body.length < HELLO_FIELDS) {
    const padded: unknown[] = [...(body as unknown[])];
    while (padded.length < HELLO_FIELDS) padded.push(null);
    return decodeTversion(padded);
  }
  return decodeTversion(body);
}

export function rversionMessage(msize: number, client: bigint, session: bigint): WireMessage {
  return {
    header: helloHeader(MsgType.Rversion, client, session),
    body: encodeRversion({ msize, ...OUR_PROTOCOL }),
    data: NO_DATA,
  };
}

export function rerrorMessage(err: SigmaError, client: bigint, session: bigint): WireMessage {
  return {
    header: helloHeader(MsgType.Rerror, client, session),
    body: encodeRerror({ errCode: err.code, obj: err.obj, err: err.message }),
    data: NO_DATA,
  };
}

/** Whether a peer's hello names our protocol and schema. */
export function sameProtocol(peer: { version: string; fingerprint: string }): boolean {
  return peer.version === OUR_PROTOCOL.version && peer.fingerprint === OUR_PROTOCOL.fingerprint;
}

/** `sigmap/75bbe348bf4b9034`: how logs and errors name a protocol. */
export function protocolName(p: { version: string; fingerprint: string }): string {
  return `${p.version}/${p.fingerprint}`;
}
