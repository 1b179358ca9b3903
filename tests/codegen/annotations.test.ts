import { describe, expect, it } from "vitest";
import { ANNOTATION_NAMES, ANNOTATIONS } from "../../codegen/annotations.js";
import { MESSAGE_FLAGS } from "../../runtime/contract/descriptors.js";

describe("the annotation list", () => {
  it("names exactly the flags the runtime reads from a descriptor", () => {
    // codegen imports nothing of the runtime, so the two lists meet only here.
    expect([...ANNOTATION_NAMES].sort()).toEqual([...MESSAGE_FLAGS].sort());
  });

  it("gives every annotation its own letter in the fingerprinted contract", () => {
    const letters = ANNOTATION_NAMES.map((n) => ANNOTATIONS[n].letter);
    expect(new Set(letters).size).toBe(letters.length);
  });
});
