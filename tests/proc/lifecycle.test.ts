/**
 * How procs end: a crash is an Err status carrying the exit code, an eviction is Evicted, a plain
 * executable's exit code is its status, and a pid nobody spawned is refused at once. After every
 * collected exit the proc has left nothing in named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { makeProc, procDirOf, SigmaClnt, StatusCode } from "../../runtime/proc/index.js";
import { recordingSessions } from "../support/recording-session.js";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

forEachStore((store) => {
  describe("proc life cycle", () => {
    let c: ProcCluster;
    beforeAll(async () => {
      c = await startProcCluster(store, { warm: 2 });
    });
    afterAll(() => c?.close());

    /** Nothing of `pid` is left: no procdir, no child entry. */
    async function expectGone(pid: string): Promise<void> {
      await expect(c.sc.fsl.stat(procDirOf(c.procd.kernel, pid))).rejects.toMatchObject({
        code: ErrCode.Notfound,
      });
      expect(await c.sc.procClnt.children()).not.toContain(pid);
    }

    it("a proc that crashes gets an Err status with its exit code", async () => {
      const p = makeProc(procProgram("crash.ts"), ["7"]);
      await c.sc.procClnt.spawn(p);
      const status = await c.sc.procClnt.waitExit(p.pid);
      expect(status).toEqual({
        code: StatusCode.Err,
        message: "exited with code 7 without reporting its exit",
        data: { code: 7, signal: null },
      });
      await expectGone(p.pid);
    });

    it("evict stops a running proc and its status is Evicted", async () => {
      const p = makeProc(procProgram("sleeper.ts"));
      await c.sc.procClnt.spawn(p);
      await c.sc.procClnt.waitStart(p.pid);
      await c.sc.procClnt.evict(p.pid);
      const status = await c.sc.procClnt.waitExit(p.pid);
      expect(status).toEqual({
        code: StatusCode.Evicted,
        message: "evicted (killed by SIGTERM)",
        data: { code: null, signal: "SIGTERM" },
      });
      await expectGone(p.pid);
    });

    it("any executable runs as a proc; its exit code decides its status", async () => {
      const ok = makeProc(procProgram("exit-code.sh"), ["0"]);
      const bad = makeProc(procProgram("exit-code.sh"), ["3"]);
      await Promise.all([c.sc.procClnt.spawn(ok), c.sc.procClnt.spawn(bad)]);
      expect(await c.sc.procClnt.waitExit(ok.pid)).toEqual({
        code: StatusCode.OK,
        message: "exited with code 0",
        data: { code: 0, signal: null },
      });
      expect(await c.sc.procClnt.waitExit(bad.pid)).toMatchObject({
        code: StatusCode.Err,
        data: { code: 3, signal: null },
      });
      await expectGone(ok.pid);
      await expectGone(bad.pid);
    });

    it("a proc speaking the channel protocol from the shell reports its own status", async () => {
      const p = makeProc(procProgram("channel.sh")); // reports OK, then exits 5
      await c.sc.procClnt.spawn(p);
      expect(await c.sc.procClnt.waitExit(p.pid)).toEqual({
        code: StatusCode.OK,
        message: "from sh",
        data: [1, 2],
      });
      await expectGone(p.pid);
    });

    it("waiting on a pid nobody spawned fails at once with Notfound, arming no watch", async () => {
      // "At once" as what the calls send, not how long they take (which a loaded machine decides):
      // a wait would need a watch on named.
      const wire = recordingSessions();
      const probe = await SigmaClnt.connect({
        named: c.named.addr,
        uname: "probe",
        localIp: "127.0.0.1",
        openSession: wire.open,
      });
      try {
        const before = wire.sent.length;
        await expect(probe.procClnt.waitExit("no-such-pid")).rejects.toMatchObject({
          code: ErrCode.Notfound,
          obj: "no-such-pid",
        });
        await expect(probe.procClnt.waitStart("no-such-pid")).rejects.toMatchObject({
          code: ErrCode.Notfound,
        });
        await expect(probe.procClnt.evict("no-such-pid")).rejects.toMatchObject({
          code: ErrCode.Notfound,
        });
        const sent = wire.sent.slice(before);
        expect(sent.length).toBeGreaterThan(0);
        expect(sent).not.toContain(MsgType.Twatch);
      } finally {
        await probe.close();
      }
    });

    it("a collected pid is unknown: waiting again fails with Notfound", async () => {
      const p = makeProc(procProgram("trivial.ts"));
      await c.sc.procClnt.spawn(p);
      expect((await c.sc.procClnt.waitExit(p.pid)).code).toBe(StatusCode.OK);
      await expect(c.sc.procClnt.waitExit(p.pid)).rejects.toMatchObject({ code: ErrCode.Notfound });
    });
  });
});
