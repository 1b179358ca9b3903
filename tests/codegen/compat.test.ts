import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPAT_RULES, compareModels } from "../../codegen/compat.js";
import { loadSchemaDir } from "../../codegen/load.js";
import type { Model } from "../../codegen/model.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/compat");
const SCHEMA = path.resolve(import.meta.dirname, "../../schema");

/**
 * The rule ids each fixture case must produce, sorted. Every case edits one thing in the same
 * base schema (v1); a few edits trip a second rule on purpose, and those pairs are the contract.
 */
const EXPECTED: Record<string, string[]> = {
  unchanged: [],
  "protocol-renamed": ["protocol-renamed"],
  "message-removed": ["message-removed"],
  "message-renumbered": ["message-renumbered"],
  "message-number-reused": ["message-number-reused", "message-removed"],
  "message-renamed": ["message-renamed"],
  "message-kind-changed": ["message-kind-changed"],
  "message-reply-changed": ["message-reply-changed"],
  "message-data-changed": ["message-data-changed"],
  "message-flags-changed": ["message-flags-changed"],
  "message-added": ["message-added"],
  "field-removed": ["field-removed"],
  "field-renumbered": ["field-renumbered"],
  "field-number-reused": ["field-number-reused", "field-renumbered"],
  "field-renamed": ["field-renamed"],
  "field-type-changed": ["field-type-changed"],
  "field-type-changed-nested": [
    "field-type-changed",
    "field-type-changed",
    "rpc-signature-changed",
  ],
  "field-type-renamed": ["field-type-renamed"],
  "field-added": ["field-added"],
  "reserved-number-reused": ["reserved-number-reused"],
  "reserved-name-reused": ["field-added", "reserved-name-reused"],
  "error-removed": ["error-removed"],
  "error-renumbered": ["error-renumbered"],
  "error-code-reused": ["error-code-reused", "error-renumbered"],
  "error-renamed": ["error-renamed"],
  "error-retry-changed": ["error-retry-changed"],
  "error-added": ["error-added"],
  "flags-removed": ["flags-removed"],
  "flags-base-changed": ["flags-base-changed"],
  "flags-member-removed": ["flags-member-removed"],
  "flags-member-value-changed": ["flags-member-value-changed"],
  "flags-member-renamed": ["flags-member-renamed"],
  "flags-member-added": ["flags-member-added"],
  "enum-removed": ["enum-removed"],
  "enum-base-changed": ["enum-base-changed"],
  "enum-member-removed": ["enum-member-removed"],
  "enum-member-value-changed": ["enum-member-value-changed"],
  "enum-member-renamed": ["enum-member-renamed"],
  "enum-member-added": ["enum-member-added"],
  "struct-removed": ["struct-removed"],
  "struct-added": ["struct-added"],
  "alias-removed": ["alias-removed"],
  "alias-target-changed": ["alias-target-changed"],
  "const-removed": ["const-removed"],
  "const-value-changed": ["const-value-changed"],
  "service-removed": ["service-removed"],
  "service-added": ["service-added"],
  "rpc-removed": ["rpc-removed"],
  "rpc-signature-changed": ["rpc-signature-changed"],
  "rpc-types-renamed": ["rpc-types-renamed", "struct-added"],
  "rpc-added": ["rpc-added"],
};

async function load(dir: string): Promise<Model> {
  const result = await loadSchemaDir(dir);
  if (!result.model)
    throw new Error(`${dir}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.model;
}

async function compareCase(name: string): Promise<ReturnType<typeof compareModels>> {
  const dir = path.join(FIXTURES, name);
  return compareModels(await load(path.join(dir, "v1")), await load(path.join(dir, "v2")));
}

describe("compareModels on fixture schemas", () => {
  it("has one fixture case per rule and an expectation per case", () => {
    const cases = readdirSync(FIXTURES).sort();
    expect(cases).toEqual(Object.keys(EXPECTED).sort());
    const covered = new Set(Object.values(EXPECTED).flat());
    expect(COMPAT_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("rule ids are unique", () => {
    const ids = COMPAT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const [name, ids] of Object.entries(EXPECTED)) {
    it(`${name}: reports ${ids.length === 0 ? "nothing" : ids.join(", ")}`, async () => {
      const findings = await compareCase(name);
      expect(findings.map((f) => f.rule).sort()).toEqual(ids);
    });
  }

  it("the project schema is compatible with itself", async () => {
    const model = await load(SCHEMA);
    expect(compareModels(model, model)).toEqual([]);
  });
});

describe("compareModels findings", () => {
  it("name the changed declaration, including types that change through a struct", async () => {
    const findings = await compareCase("field-type-changed-nested");
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ["field-type-changed", "Rwalk.qids"],
      ["field-type-changed", "Tqid.type"],
      ["rpc-signature-changed", "Geo.Move"],
    ]);
  });

  it("mark additions as compatible and carry their rule's kind", async () => {
    const [finding] = await compareCase("message-added");
    expect(finding).toMatchObject({
      rule: "message-added",
      kind: "wire",
      breaking: false,
      subject: "Tstat",
    });
  });

  it("treat a renamed message with the same number and layout as a source break only", async () => {
    const findings = await compareCase("message-renamed");
    expect(findings).toMatchObject([
      { rule: "message-renamed", kind: "source", breaking: true, subject: "Tforget" },
    ]);
  });
});
