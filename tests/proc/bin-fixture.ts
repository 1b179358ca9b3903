/**
 * A bin directory built for the procd hardening tests, in the run's temp dir: a Node proc that
 * reports how it runs, shell procs, symlinks that stay inside and one that escapes, and programs
 * procd must refuse (not executable, writable by others, a directory).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** How a proc found itself running: report.mjs's exit status data. */
export interface Report {
  uid: number;
  gid: number;
  groups: number[];
  pid: number;
  pgid: number;
  cwd: string;
  env: Record<string, string>;
  noNewPrivs: string | null;
  core: [string, string];
  nofile: [string, string];
}

// Speaks the channel protocol on descriptor 3 itself, so it needs nothing of the project.
const REPORT = `import { readFileSync, writeSync } from "node:fs";
const stat = readFileSync("/proc/self/stat", "utf8");
const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
const status = readFileSync("/proc/self/status", "utf8");
const limits = readFileSync("/proc/self/limits", "utf8").split("\\n");
const limit = (name) => {
  const m = /^Max [a-z ]+?\\s{2,}(\\S+)\\s+(\\S+)/.exec(limits.find((l) => l.startsWith(name)) ?? "");
  return m === null ? null : [m[1], m[2]];
};
const data = {
  uid: process.getuid(),
  gid: process.getgid(),
  groups: process.getgroups(),
  pid: process.pid,
  pgid,
  cwd: process.cwd(),
  env: { ...process.env },
  noNewPrivs: /NoNewPrivs:\\s*(\\d)/.exec(status)?.[1] ?? null,
  core: limit("Max core file size"),
  nofile: limit("Max open files"),
};
writeSync(3, JSON.stringify({ t: "started" }) + "\\n");
writeSync(3, JSON.stringify({ t: "exited", status: { code: 1, message: "report", data } }) + "\\n");
`;

export interface BinFixture {
  /** The bin directory. */
  dir: string;
  /** Removes it and the program outside it. */
  remove(): void;
}

export function makeBinFixture(): BinFixture {
  const top = mkdtempSync(path.join(tmpdir(), "procd-bin-"));
  const dir = path.join(top, "bin");
  const outside = path.join(top, "outside");
  mkdirSync(dir);
  mkdirSync(outside);
  const file = (rel: string, text: string, mode: number): void => {
    writeFileSync(path.join(dir, rel), text);
    chmodSync(path.join(dir, rel), mode);
  };
  file("report.mjs", REPORT, 0o644);
  file("ok.sh", "#!/bin/sh\nexit 0\n", 0o755);
  // A background child, and its pid in the exit status: the group kill must end it.
  file(
    "leave-child.sh",
    '#!/bin/sh\nsleep 300 &\necho "{\\"t\\":\\"exited\\",\\"status\\":{\\"code\\":1,\\"message\\":\\"$!\\"}}" >&3\nexit 0\n',
    0o755,
  );
  file("noexec.sh", "#!/bin/sh\nexit 0\n", 0o644);
  file("shared.sh", "#!/bin/sh\nexit 0\n", 0o757);
  mkdirSync(path.join(dir, "tools"));
  file("tools/tool.sh", "#!/bin/sh\nexit 7\n", 0o755);
  symlinkSync("ok.sh", path.join(dir, "link-in.sh"));
  writeFileSync(path.join(outside, "evil.sh"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  symlinkSync(path.join(outside, "evil.sh"), path.join(dir, "link-out.sh"));
  symlinkSync("../outside", path.join(dir, "out-dir"));
  // Procs running as another user read their programs here.
  for (const d of [top, dir, outside, path.join(dir, "tools")]) chmodSync(d, 0o755);
  return { dir, remove: () => rmSync(top, { recursive: true, force: true }) };
}
