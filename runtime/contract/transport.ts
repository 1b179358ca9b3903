/**
 * What generated clients and dispatchers need from the session layer below them: send one
 * request body (and its data payload) and get the raw reply back.
 */

export interface CallOptions {
  /** Fires: the call fails with Aborted (the signal's reason as cause). Giving up is local. */
  signal?: AbortSignal;
  /** Passes: the call fails with Timeout. No default: calls wait as long as the session lives. */
  timeoutMs?: number;
  /** Stamped into the request header; the null fence when absent (spec 4.9). */
  fence?: WireFence;
}

/** The header's fence, structurally (the generated Tfence has this shape). */
export interface WireFence {
  fenceid: { path: bigint; serverid: bigint };
  epoch: bigint;
}

export interface RawReply {
  type: number;
  body: unknown;
  data: Uint8Array;
}

export interface Transport {
  call(
    type: number,
    body: unknown[],
    data: Uint8Array | null,
    opts?: CallOptions,
  ): Promise<RawReply>;
}

/**
 * The data payload of a message that carries none. Shared because an empty view cannot be
 * written through.
 */
export const NO_DATA: Uint8Array = new Uint8Array(0);
