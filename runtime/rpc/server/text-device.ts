import type { DeviceHandlers } from "../../fs/index.js";

const encoder = new TextEncoder();

/** A read-only device whose content is `render()`'s text, rendered afresh by every read. */
export function textDevice(render: () => string): DeviceHandlers {
  return {
    read: (offset, count) => {
      const bytes = encoder.encode(render());
      if (offset >= BigInt(bytes.length)) return new Uint8Array(0);
      const start = Number(offset);
      return bytes.slice(start, start + count);
    },
  };
}
