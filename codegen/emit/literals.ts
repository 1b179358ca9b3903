import type { ScalarName } from "../model.js";

/** 64-bit scalars are bigint in TypeScript; everything narrower is a number. */
export function isBigintScalar(name: ScalarName): boolean {
  return name === "u64" || name === "i64";
}

/**
 * An integer literal. All-ones sentinels (NoFid, NoSession) read better in hex; other values
 * (MAXGETSET = 1000000) keep the decimal form a schema author would write.
 */
export function intLiteral(value: bigint | number, bigint: boolean): string {
  const v = BigInt(value);
  const allOnes = v >= 0xffn && (v & (v + 1n)) === 0n;
  const text = allOnes ? `0x${v.toString(16)}` : v.toString();
  return bigint ? `${text}n` : text;
}

/** A flag member: always hex, since flags are bit patterns. */
export function hexLiteral(value: bigint | number, bigint: boolean): string {
  const v = BigInt(value);
  const text = v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  return bigint ? `${text}n` : text;
}

export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}
