import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LINCHECK = path.join(ROOT, "verify/lincheck");

it("the checker imports nothing of the runtime, only its own files and node/commander", () => {
  const files = readdirSync(LINCHECK).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(5);
  const imports = files.flatMap((f) =>
    [...readFileSync(path.join(LINCHECK, f), "utf8").matchAll(/from "([^"]+)"/g)].map(
      (m) => m[1] as string,
    ),
  );
  const outside = imports.filter(
    (i) => !i.startsWith("./") && !i.startsWith("node:") && i !== "commander",
  );
  expect(outside).toEqual([]);
});
