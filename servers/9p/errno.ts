/**
 * Linux errno values and the one table mapping sigmap error codes to them. Every Rlerror the
 * gateway sends comes from `errnoOf`, so a client sees the same errno for the same failure
 * whichever message failed.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { isSigmaError } from "../../runtime/errors/index.js";

/** The Linux errno values the gateway answers with. */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  EFBIG: 27,
  EPIPE: 32,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOTEMPTY: 39,
  EPROTO: 71,
  EMSGSIZE: 90,
  EOPNOTSUPP: 95,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  EHOSTUNREACH: 113,
  ESTALE: 116,
} as const;

/** sigmap error code → errno. Codes not listed (none today) fall back to EIO. */
export const ERRNO_OF_CODE: Readonly<Record<number, number>> = {
  [ErrCode.Badattach]: Errno.ENOENT,
  [ErrCode.Badoffset]: Errno.EINVAL,
  [ErrCode.Badcount]: Errno.EINVAL,
  [ErrCode.Botch]: Errno.EPROTO,
  [ErrCode.Createnondir]: Errno.ENOTDIR,
  [ErrCode.Dupfid]: Errno.EBADF,
  [ErrCode.Duptag]: Errno.EPROTO,
  [ErrCode.Isdir]: Errno.EISDIR,
  [ErrCode.Nocreate]: Errno.EPERM,
  [ErrCode.Nomem]: Errno.ENOMEM,
  [ErrCode.Noremove]: Errno.EPERM,
  [ErrCode.Nostat]: Errno.EPERM,
  [ErrCode.Notfound]: Errno.ENOENT,
  [ErrCode.Nowrite]: Errno.EPERM,
  [ErrCode.Nowstat]: Errno.EPERM,
  [ErrCode.Perm]: Errno.EACCES,
  [ErrCode.Unknownfid]: Errno.EBADF,
  [ErrCode.Baddir]: Errno.EINVAL,
  [ErrCode.Walknodir]: Errno.ENOTDIR,
  [ErrCode.Unreachable]: Errno.EHOSTUNREACH,
  [ErrCode.NotSupported]: Errno.EOPNOTSUPP,
  [ErrCode.Inval]: Errno.EINVAL,
  [ErrCode.UnknownMsg]: Errno.EPROTO,
  [ErrCode.NotDir]: Errno.ENOTDIR,
  [ErrCode.NotFile]: Errno.EISDIR,
  [ErrCode.NotSymlink]: Errno.EINVAL,
  [ErrCode.NotEmpty]: Errno.ENOTEMPTY,
  [ErrCode.Version]: Errno.EAGAIN,
  [ErrCode.Stale]: Errno.ESTALE,
  [ErrCode.Exists]: Errno.EEXIST,
  [ErrCode.Closed]: Errno.EPIPE,
  [ErrCode.BadFcall]: Errno.EPROTO,
  [ErrCode.Retry]: Errno.EAGAIN,
  [ErrCode.BadFd]: Errno.EBADF,
  [ErrCode.Error]: Errno.EIO,
  [ErrCode.ProtocolMismatch]: Errno.EPROTO,
  [ErrCode.SessClosed]: Errno.ENOTCONN,
  [ErrCode.Timeout]: Errno.ETIMEDOUT,
  [ErrCode.Aborted]: Errno.EINTR,
};

/** An error the gateway itself raises with a chosen errno (no sigmap code fits). */
export class ErrnoError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    super(what);
    this.name = "ErrnoError";
  }
}

/** The errno to answer for any error thrown while serving a request. */
export function errnoOf(e: unknown): number {
  if (e instanceof ErrnoError) return e.errno;
  if (isSigmaError(e)) return ERRNO_OF_CODE[e.code] ?? Errno.EIO;
  return Errno.EIO;
}
