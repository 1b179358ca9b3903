/**
 * Throw-away X.509 material for TLS tests, made by the `openssl` binary (node:crypto makes keys
 * but cannot sign certificates): a CA, a loopback server certificate (SAN IP:127.0.0.1 and
 * DNS:localhost), an expired one, client certificates by CN, and an unrelated CA.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { needing } from "./needs-tool.js";

/** `title`, skipped with the reason when openssl is missing. */
export function needingOpenssl(title: string): { title: string; missing: boolean } {
  return needing(title, { name: "openssl", provider: "Debian package openssl" });
}

export interface Pem {
  cert: string;
  key: string;
}

export interface TestPki {
  /** The directory holding every file below as `<name>.pem` / `<name>.key`. */
  dir: string;
  ca: Pem;
  /** A second CA that signed nothing we serve. */
  otherCa: Pem;
  server: Pem;
  expiredServer: Pem;
  /** A file path of `name`'s PEM in `dir`, for CLI flags. */
  file(name: string): string;
  /** A client certificate with subject CN = `user`, signed by `ca` (or `otherCa`). */
  client(user: string, signer?: "ca" | "otherCa"): Pem;
  remove(): void;
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "sigma-tls-"));
  const run = (args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  };
  const read = (name: string): Pem => ({
    cert: readFileSync(join(dir, `${name}.pem`), "utf8"),
    key: readFileSync(join(dir, `${name}.key`), "utf8"),
  });
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const makeCa = (name: string): Pem => {
    run(
      ["req", "-x509", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.pem`].concat([
        "-days",
        "2",
        "-subj",
        `/CN=sigma test ${name}`,
      ]),
    );
    return read(name);
  };
  let serial = 1;
  const sign = (name: string, cn: string, days: number, ext: string, signer: string): Pem => {
    run(["req", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`]);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    run(
      ["x509", "-req", "-in", `${name}.csr`, "-CA", `${signer}.pem`, "-CAkey", `${signer}.key`]
        .concat(["-set_serial", String(serial++), "-out", `${name}.pem`, "-days", String(days)])
        .concat(["-extfile", `${name}.ext`]),
    );
    return read(name);
  };
  const serverExt = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth";
  const clientExt = "extendedKeyUsage=clientAuth";
  const ca = makeCa("ca");
  const otherCa = makeCa("otherCa");
  const server = sign("server", "127.0.0.1", 2, serverExt, "ca");
  // -days -1: notAfter a day before notBefore (now), so already expired.
  const expiredServer = sign("expired", "127.0.0.1", -1, serverExt, "ca");
  return {
    dir,
    ca,
    otherCa,
    server,
    expiredServer,
    file: (name) => join(dir, name),
    client: (user, signer = "ca") => sign(`client-${user}-${signer}`, user, 2, clientExt, signer),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
