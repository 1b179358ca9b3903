/**
 * `--json` output for scripts: bigints become decimal strings, bytes become base64, so the
 * output is plain JSON any tool reads.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
      return v;
    },
    2,
  );
}
