/**
 * The error lines of the fs commands: each says what is wrong with what the user typed, in one
 * line, with the exit code a script can test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRversion } from "../../generated/sigmap/codec.js";
import { fingerprint } from "../../generated/sigmap/registry.js";
import { MsgType } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import { helloHeader } from "../../runtime/net/hello.js";
import { NO_DATA } from "../../runtime/contract/transport.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { CLIENT, scriptedServer, SESSION } from "../net/helpers.js";
import { sigmaIn } from "./run-cli.js";

let named: Named;
let fsl: FsLib;
beforeAll(async () => {
  named = await startNamed();
  fsl = await FsLib.connect({ named: [named.addr] });
  await fsl.mkDir("name/tmp/err");
  await fsl.putFile("name/tmp/err/f", 0o777, 0, new TextEncoder().encode("contents\n"));
});
afterAll(async () => {
  await fsl?.close();
  await named?.close();
});

const sigma = (...args: string[]) => sigmaIn([...args, "--named", named.addr]);

describe("errors that point the right way", () => {
  it("a path under no mount says so and lists the mounts", async () => {
    for (const p of ["tmp", "."]) {
      expect(await sigma("ls", p)).toEqual({
        code: 1,
        stdout: "",
        stderr: `sigma: ${p}: not under a mount (paths start with a mount point: name/)\n`,
      });
    }
  });

  it("ls of a file is 'not a directory'; cat of a directory is 'is a directory'", async () => {
    expect(await sigma("ls", "name/tmp/err/f")).toEqual({
      code: 1,
      stdout: "",
      stderr: "sigma: name/tmp/err/f: not a directory\n",
    });
    expect(await sigma("cat", "name/tmp/err")).toEqual({
      code: 1,
      stdout: "",
      stderr: "sigma: name/tmp/err: is a directory\n",
    });
  });

  it("cat of several paths reports each missing one, prints the rest, and exits 1", async () => {
    expect(await sigma("cat", "name/tmp/err/a", "name/tmp/err/f", "name/tmp/err/b")).toEqual({
      code: 1,
      stdout: "contents\n",
      stderr: "sigma: name/tmp/err/a: not found\nsigma: name/tmp/err/b: not found\n",
    });
    expect((await sigma("cat", "name/tmp/err/f", "name/tmp/err/f")).code).toBe(0);
  });

  it("a malformed named address says what is malformed, with the usage exit code", async () => {
    const cases: [string, string][] = [
      ["127.0.0.1", "no port"],
      [":99999", "no host"],
      ["127.0.0.1:99999", "port 99999 is out of range (0-65535)"],
      ["127.0.0.1:http", 'port "http" is not a number'],
      ["http://127.0.0.1:1111", "a URL: give host:port, without a scheme"],
      ["127.0.0.1:0", "port 0 means any port; name the server's"],
    ];
    for (const [addr, why] of cases) {
      expect(await sigmaIn(["ls", "name/", "--named", addr])).toEqual({
        code: 64,
        stdout: "",
        stderr: `sigma: --named=${addr}: ${why} (expected host:port, e.g. 127.0.0.1:1111)\n`,
      });
    }
    const list = await sigmaIn(["ls", "name/", "--named", `${named.addr},nohost`]);
    expect(list.stderr).toBe(
      `sigma: --named=${named.addr},nohost: nohost: no port (expected host:port, e.g. 127.0.0.1:1111)\n`,
    );
    const saved = process.env["SIGMA_NAMED"];
    process.env["SIGMA_NAMED"] = "127.0.0.1";
    try {
      expect((await sigmaIn(["ls", "name/"])).stderr).toBe(
        "sigma: SIGMA_NAMED=127.0.0.1: no port (expected host:port, e.g. 127.0.0.1:1111)\n",
      );
    } finally {
      if (saved === undefined) delete process.env["SIGMA_NAMED"];
      else process.env["SIGMA_NAMED"] = saved;
    }
  });

  it("a dead named says unreachable with the reason from the dial", async () => {
    const r = await sigmaIn(["ls", "name/", "--named", "127.0.0.1:1"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "sigma: 127.0.0.1:1: server unreachable (connect ECONNREFUSED 127.0.0.1:1)\n",
    });
  });

  it("a protocol mismatch shows both fingerprints", async () => {
    const other = await scriptedServer({
      header: helloHeader(MsgType.Rversion, CLIENT, SESSION),
      body: encodeRversion({ msize: 1 << 20, version: "sigmap", fingerprint: "0000feedbeef0000" }),
      data: NO_DATA,
    });
    try {
      expect(await sigmaIn(["ls", "name/", "--named", other.addr])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          `sigma: ${other.addr}: protocol mismatch (client speaks sigmap/${fingerprint}, ` +
          `server speaks sigmap/0000feedbeef0000)\n`,
      });
    } finally {
      await other.close();
    }
  });
});

describe("what sigma prints", () => {
  it("names with control characters are escaped in text, exact in --json", async () => {
    const hostile = "evil\x1b[2J\nname\u202etxt\\x";
    await fsl.putFile(`name/tmp/err/${hostile}`, 0o777, 0, new Uint8Array());
    try {
      const ls = await sigma("ls", "name/tmp/err");
      expect(ls.stdout).toBe("evil\\x1b[2J\\nname\\u{202e}txt\\\\x\nf\n");
      const tree = await sigma("tree", "name/tmp/err");
      expect(tree.stdout).toContain("├── evil\\x1b[2J\\nname\\u{202e}txt\\\\x\n");
      const json = JSON.parse((await sigma("ls", "--json", "name/tmp/err")).stdout) as {
        name: string;
      }[];
      expect(json.map((e) => e.name)).toEqual([hostile, "f"]);
      const missing = await sigma("cat", `name/tmp/err/${hostile}2`);
      expect(missing.stderr).toBe(
        "sigma: name/tmp/err/evil\\x1b[2J\\nname\\u{202e}txt\\\\x2: not found\n",
      );
    } finally {
      await fsl.remove(`name/tmp/err/${hostile}`);
    }
  });

  it("ids are hex with 0x in text and in --json", async () => {
    const st = await fsl.stat("name/tmp/err/f");
    const id = `0x${st.qid.path.toString(16)}`;
    expect((await sigma("stat", "name/tmp/err/f")).stdout).toContain(`, id ${id}, `);
    const json = JSON.parse((await sigma("stat", "--json", "name/tmp/err/f")).stdout) as {
      qid: { path: string };
      length: string;
    };
    expect(json.qid.path).toBe(id);
    expect(json.length).toBe("9");
    const ls = JSON.parse((await sigma("ls", "--json", "name/tmp/err")).stdout) as {
      qid: { path: string };
    }[];
    expect(ls[0]?.qid.path).toBe(id);
  });

  it("--version prints the package version and the protocol fingerprint", async () => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
    expect(await sigmaIn(["--version"])).toEqual({
      code: 0,
      stdout: `sigmats ${version} (protocol sigmap/${fingerprint})\n`,
      stderr: "",
    });
  });
});
