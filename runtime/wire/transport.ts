/**
 * What generated clients and dispatchers need from the session layer below them: send one
 * request body (and its data payload) and get the raw reply back.
 */

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
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
