/**
 * Randomness the runtime draws (session ids and keys, random name suffixes) comes from
 * node:crypto. For one seed the simulation replaces its two byte sources with a seeded
 * generator, and `syncBuiltinESMExports` makes the runtime's named imports see the replacement:
 * the runtime needs no seam of its own, and real processes are untouched.
 */
import crypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import type { Random } from "../chaos/random.js";

/** Installs `random` as the process's crypto byte source; returns the function that restores it. */
export function installSeededBytes(random: Random): () => void {
  const saved = { randomBytes: crypto.randomBytes, randomFillSync: crypto.randomFillSync };
  const fill = <T extends NodeJS.ArrayBufferView>(view: T): T => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
    return view;
  };
  const patched = crypto as { randomBytes: unknown; randomFillSync: unknown };
  patched.randomBytes = (size: number): Buffer => fill(Buffer.alloc(size));
  patched.randomFillSync = fill;
  syncBuiltinESMExports();
  return () => {
    patched.randomBytes = saved.randomBytes;
    patched.randomFillSync = saved.randomFillSync;
    syncBuiltinESMExports();
  };
}
