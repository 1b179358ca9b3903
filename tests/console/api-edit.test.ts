/**
 * Changes through the console: saves checked against the version the editor loaded, create,
 * rename and remove, and a read-only console that refuses them all. Each case reads the result
 * back through the test's own FsLib.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import { isErrNotfound } from "../../runtime/client/index.js";
import type {
  DetailsJson,
  ErrorBody,
  FileJson,
  InfoJson,
  SaveReply,
} from "../../servers/console/index.js";
import { bytes, startWorld, text, type ConsoleWorld } from "./world.js";

let w: ConsoleWorld;
let ro: ConsoleWorld;

beforeAll(async () => {
  [w, ro] = await Promise.all([startWorld(), startWorld({ readOnly: true })]);
});
afterAll(async () => {
  await Promise.all([w?.close(), ro?.close()]);
});

async function load(world: ConsoleWorld, path: string): Promise<FileJson> {
  const r = await world.api.get<FileJson>("/api/file", { path });
  expect(r.status).toBe(200);
  return r.body;
}

async function gone(world: ConsoleWorld, path: string): Promise<boolean> {
  try {
    await world.fsl.stat(path);
    return false;
  } catch (e) {
    if (isErrNotfound(e)) return true;
    throw e;
  }
}

describe("saving with the loaded version", () => {
  it("saves a longer content in one versioned write and answers the file as it is now", async () => {
    await w.fsl.putFile("name/tmp/grow", 0o777, Mode.OWRITE, bytes("one"));
    const f = await load(w, "name/tmp/grow");
    const r = await w.api.send<SaveReply>("PUT", "/api/file", {
      path: f.path,
      version: f.version,
      content: "one two three",
    });
    expect(r.status).toBe(200);
    expect(r.body.file).toMatchObject({
      content: "one two three",
      version: f.version + 1,
      size: 13,
    });
    expect(text(await w.fsl.getFile("name/tmp/grow"))).toBe("one two three");
  });

  it("saves a shorter content without leaving the old tail", async () => {
    await w.fsl.putFile("name/tmp/shrink", 0o777, Mode.OWRITE, bytes("a long first version"));
    const f = await load(w, "name/tmp/shrink");
    const r = await w.api.send<SaveReply>("PUT", "/api/file", {
      path: f.path,
      version: f.version,
      content: "short",
    });
    expect(r.status).toBe(200);
    expect(r.body.file).toMatchObject({ content: "short", size: 5 });
    expect(text(await w.fsl.getFile("name/tmp/shrink"))).toBe("short");
  });

  it("refuses a save over someone else's change, says so, shows their content and keeps it", async () => {
    await w.fsl.putFile("name/tmp/race", 0o777, Mode.OWRITE, bytes("base"));
    const mine = await load(w, "name/tmp/race");
    await w.fsl.putFile("name/tmp/race", 0o777, Mode.OWRITE, bytes("theirs, newer"));
    for (const content of ["mine: longer than theirs is", "mine"]) {
      const r = await w.api.send<ErrorBody>("PUT", "/api/file", {
        path: mine.path,
        version: mine.version,
        content,
      });
      expect(r.status).toBe(409);
      expect(r.body.error.name).toBe("Version");
      expect(r.body.error.message).toBe(
        `conflict: name/tmp/race changed since version ${mine.version} was loaded ` +
          `(it is at version ${mine.version + 1} now); nothing was saved`,
      );
      expect(r.body.current).toMatchObject({ content: "theirs, newer", version: mine.version + 1 });
      expect(text(await w.fsl.getFile("name/tmp/race"))).toBe("theirs, newer");
    }
    // Saving again with the version it was shown is the deliberate overwrite.
    const again = await w.api.send<SaveReply>("PUT", "/api/file", {
      path: mine.path,
      version: mine.version + 1,
      content: "mine after all",
    });
    expect(again.status).toBe(200);
    expect(text(await w.fsl.getFile("name/tmp/race"))).toBe("mine after all");
  });

  it("refuses a save to a file that is gone", async () => {
    const r = await w.api.send<ErrorBody>("PUT", "/api/file", {
      path: "name/tmp/never",
      version: 1,
      content: "x",
    });
    expect(r.status).toBe(404);
    expect(await gone(w, "name/tmp/never")).toBe(true);
  });
});

describe("create, rename, remove", () => {
  it("creates a file, a directory and a symlink, and never replaces a file", async () => {
    const f = await w.api.send<DetailsJson>("POST", "/api/create", {
      path: "name/tmp/made",
      kind: "file",
      content: "fresh",
    });
    expect(f.status).toBe(200);
    expect(f.body.entry).toMatchObject({
      kind: "file",
      size: 5,
      owner: "console",
      ephemeral: false,
    });
    expect(text(await w.fsl.getFile("name/tmp/made"))).toBe("fresh");
    const again = await w.api.send<ErrorBody>("POST", "/api/create", {
      path: "name/tmp/made",
      kind: "file",
      content: "clobber",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.name).toBe("Exists");
    expect(text(await w.fsl.getFile("name/tmp/made"))).toBe("fresh");

    const d = await w.api.send<DetailsJson>("POST", "/api/create", {
      path: "name/tmp/made-dir",
      kind: "dir",
      ephemeral: true,
    });
    expect(d.body.entry).toMatchObject({ kind: "dir", ephemeral: true });
    expect(await w.fsl.isDir("name/tmp/made-dir")).toBe(true);

    const l = await w.api.send<DetailsJson>("POST", "/api/create", {
      path: "name/tmp/made-link",
      kind: "symlink",
      target: "name/tmp/made",
    });
    expect(l.body.symlink).toEqual({ kind: "path", target: "name/tmp/made" });
    const bad = await w.api.send<ErrorBody>("POST", "/api/create", {
      path: "name/tmp/x",
      kind: "pipe",
    });
    expect(bad.status).toBe(400);
  });

  it("renames, refusing to replace an existing target", async () => {
    await w.fsl.putFile("name/tmp/r1", 0o777, Mode.OWRITE, bytes("1"));
    await w.fsl.putFile("name/tmp/r2", 0o777, Mode.OWRITE, bytes("2"));
    const clash = await w.api.send<ErrorBody>("POST", "/api/rename", {
      from: "name/tmp/r1",
      to: "name/tmp/r2",
    });
    expect(clash.status).toBe(409);
    expect(text(await w.fsl.getFile("name/tmp/r2"))).toBe("2");
    const ok = await w.api.send("POST", "/api/rename", { from: "name/tmp/r1", to: "name/boot/r1" });
    expect(ok.status).toBe(200);
    expect(text(await w.fsl.getFile("name/boot/r1"))).toBe("1");
    expect(await gone(w, "name/tmp/r1")).toBe(true);
  });

  it("removes a file, and a non-empty directory only when asked to recurse", async () => {
    await w.fsl.mkDir("name/tmp/tree");
    await w.fsl.putFile("name/tmp/tree/leaf", 0o777, Mode.OWRITE, bytes("x"));
    const refused = await w.api.send<ErrorBody>("POST", "/api/remove", { path: "name/tmp/tree" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.name).toBe("NotEmpty");
    expect(await gone(w, "name/tmp/tree/leaf")).toBe(false);
    const ok = await w.api.send("POST", "/api/remove", { path: "name/tmp/tree", recursive: true });
    expect(ok.status).toBe(200);
    expect(await gone(w, "name/tmp/tree")).toBe(true);
  });

  it("takes changes only as JSON from its own origin", async () => {
    const form = await fetch(new URL("/api/create", w.console.url), {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ path: "name/tmp/csrf", kind: "file" }),
    });
    expect(form.status).toBe(415);
    const foreign = await fetch(new URL("/api/create", w.console.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ path: "name/tmp/csrf", kind: "file" }),
    });
    expect(foreign.status).toBe(403);
    expect(await gone(w, "name/tmp/csrf")).toBe(true);
  });
});

describe("a read-only console", () => {
  it("says it is read-only, reads as usual and refuses every change", async () => {
    await ro.fsl.putFile("name/tmp/keep", 0o777, Mode.OWRITE, bytes("keep"));
    expect((await ro.api.get<InfoJson>("/api/info")).body.readOnly).toBe(true);
    const f = await load(ro, "name/tmp/keep");
    expect(f.content).toBe("keep");
    const tries: ["POST" | "PUT", string, unknown][] = [
      ["PUT", "/api/file", { path: "name/tmp/keep", version: f.version, content: "changed" }],
      ["POST", "/api/create", { path: "name/tmp/new", kind: "file" }],
      ["POST", "/api/rename", { from: "name/tmp/keep", to: "name/tmp/moved" }],
      ["POST", "/api/remove", { path: "name/tmp/keep" }],
    ];
    for (const [method, route, body] of tries) {
      const r = await ro.api.send<ErrorBody>(method, route, body);
      expect(r.status).toBe(403);
      expect(r.body.error).toEqual({
        name: "ReadOnly",
        code: 0,
        obj: "",
        message: "the console is read-only (--read-only): nothing can change",
      });
    }
    expect(text(await ro.fsl.getFile("name/tmp/keep"))).toBe("keep");
    expect(await gone(ro, "name/tmp/new")).toBe(true);
    expect(await gone(ro, "name/tmp/moved")).toBe(true);
  });
});
