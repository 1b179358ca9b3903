import { describe, expect, it } from "vitest";
import * as sigmats from "../index.js";

describe("the package entry point", () => {
  it("exports errors, codes, flags and the generated protocol", () => {
    const e = new sigmats.SigmaError(sigmats.ErrCode.Notfound, "name/a/b");
    expect(e.message).toBe("not found: name/a/b");
    expect(sigmats.isErr(e, sigmats.ErrCode.Notfound)).toBe(true);
    expect(sigmats.Mode.OWATCH).toBe(0x100);
    expect(sigmats.Perm.DMTMP).toBe(0x04000000);
    expect(sigmats.NoOffset).toBe(0xffffffffffffffffn);
    expect(typeof sigmats.SigmapClient).toBe("function");
    expect(typeof sigmats.dispatchSigmap).toBe("function");
    expect(sigmats.messageByType.get(sigmats.MsgType.Twriteread)?.unordered).toBe(true);
  });

  it("exports tokens: issue with a private key, verify with the public key", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const token = sigmats.issueToken(privateKey, { user: "alice", realm: "rootrealm" });
    const keys = new sigmats.KeyRing([publicKey]);
    expect(sigmats.verifyToken(token, keys, { realm: "rootrealm" }).principal).toEqual({
      user: "alice",
      realm: "rootrealm",
      role: "user",
    });
  });

  it("exports FsLib and startNamed, which work together as the README shows", async () => {
    const named = await sigmats.startNamed({ port: 0 });
    const fsl = await sigmats.FsLib.connect({ named: [named.addr], uname: "alice" });
    const data = new TextEncoder().encode("x");
    await fsl.putFile("name/x", 0o777, sigmats.Mode.OWRITE, data);
    expect(await fsl.getFile("name/x")).toEqual(data);
    await fsl.close();
    await named.close();
  });
});
