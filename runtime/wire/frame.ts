/**
 * Framing (spec 2.1): a 4-byte unsigned big-endian length N, then N bytes holding one MessagePack
 * value. The reader and writer live in frame-reader.ts and frame-writer.ts.
 */
import { DecodeError } from "../contract/decode-error.js";
import { DEFAULT_MAX_FRAME } from "../defaults.js";

/** Bytes of the length prefix. */
export const FRAME_PREFIX_BYTES = 4;

export { DEFAULT_MAX_FRAME };

/**
 * A length prefix the receiver refuses: 0, or above its maximum. `tooLarge` separates the two so
 * that a connection can report "frame-too-large" rather than a generic protocol error.
 */
export class FrameError extends DecodeError {
  readonly length: number;
  readonly tooLarge: boolean;

  constructor(length: number, maxFrame: number) {
    super(
      "frame",
      length === 0 ? "empty frame" : `frame of ${length} bytes exceeds the maximum ${maxFrame}`,
    );
    this.name = "FrameError";
    this.length = length;
    this.tooLarge = length > maxFrame;
  }
}

/** Throws FrameError unless `length` is a payload size the receiver may accept. */
export function checkFrameLength(length: number, maxFrame: number): void {
  if (length === 0 || length > maxFrame) throw new FrameError(length, maxFrame);
}
