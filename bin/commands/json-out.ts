/**
 * `--json` output for scripts: bigints become decimal strings, bytes become base64, so the
 * output is plain JSON any tool reads. (Ids are made `0x…` strings before they get here:
 * stat-format.ts.)
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, v: unknown) {
      // A Buffer has already been through its toJSON here; its original is still on `this`.
      const raw = this[key];
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString("base64");
      if (typeof v === "bigint") return v.toString();
      return v;
    },
    2,
  );
}
