/**
 * The console's HTTP+JSON and event-stream API as types, shared by the server and the web app
 * (type-only: neither side imports code of the other). 64-bit values travel as strings: object
 * ids and fence ids in hex, epochs in decimal.
 */

/** What kind of object an entry is, from its qid type (spec 2.6). */
export type EntryKind = "dir" | "file" | "symlink";

/** One object as a listing or a stat shows it. */
export interface EntryJson {
  name: string;
  /** The FsLib path, without a trailing `/`. */
  path: string;
  kind: EntryKind;
  /** Created with DMTMP: removed when its creating session ends. */
  ephemeral: boolean;
  /** Bytes; for a directory the size of its listing. */
  size: number;
  version: number;
  owner: string;
  /** Seconds since the epoch. */
  mtime: number;
  /** The server's object id (qid.path), hex. */
  objectId: string;
  /** qid.type, the raw bits. */
  qtype: number;
}

/** `GET /api/dir?path=P&limit=N[&cursor=C|&after=NAME]`: one page of a directory. */
export interface DirPage {
  path: string;
  entries: EntryJson[];
  /** Pass it back for the next page; null when the listing is complete. */
  cursor: string | null;
  /** The directory's version when the listing was opened. */
  dirVersion: number;
}

/** What a symlink holds (spec 2.8). */
export type SymlinkJson =
  | { kind: "path"; target: string }
  | { kind: "mount"; addrs: { addr: string; net: string }[]; root: string }
  | { kind: "bad"; error: string };

/** `GET /api/stat?path=P`: an object's details. */
export interface DetailsJson {
  entry: EntryJson;
  symlink?: SymlinkJson;
}

/** `GET /api/file?path=P`: a file's content up to the view cap, with the version it was read at. */
export interface FileJson {
  path: string;
  version: number;
  /** The whole file's size; `content` holds at most the view cap. */
  size: number;
  truncated: boolean;
  /** Valid UTF-8 (then `content` is the text), else `content` is base64. */
  text: boolean;
  /** Text that parses as JSON. */
  json: boolean;
  content: string;
}

/** `PUT /api/file`: save `content` (UTF-8) if the file is still at `version`. */
export interface SaveRequest {
  path: string;
  version: number;
  content: string;
}

/** A save's answer: the file as it is now (version and content read together). */
export interface SaveReply {
  file: FileJson;
}

/** `POST /api/create`. */
export interface CreateRequest {
  path: string;
  kind: "file" | "dir" | "symlink";
  /** A file's initial content (UTF-8). */
  content?: string;
  /** A symlink's target path. */
  target?: string;
  /** DMTMP: the object goes when the console's own session ends. */
  ephemeral?: boolean;
}

/** `POST /api/rename`. */
export interface RenameRequest {
  from: string;
  to: string;
}

/** `POST /api/remove`; a non-empty directory needs `recursive`. */
export interface RemoveRequest {
  path: string;
  recursive?: boolean;
}

/** `POST /api/watch`: start or stop live updates of a directory for one event stream. */
export interface WatchRequest {
  stream: string;
  path: string;
  on: boolean;
}

/** Every error answer's body. */
export interface ErrorBody {
  error: {
    /** The SigmaError code's name (`Notfound`, `Version`, …) or a console name (`ReadOnly`, …). */
    name: string;
    /** The SigmaError code, 0 for console errors. */
    code: number;
    obj: string;
    message: string;
  };
  /** On a refused save (409 Version): the file as it is now. */
  current?: FileJson;
  /** On 401 NotLoggedIn: where the page validates a token (AuthInfo.loginPath). */
  loginPath?: string;
}

/** How the console authenticates (docs/console.md, "Logging in"). */
export interface AuthInfo {
  /** `none`: the console's own principal; `token`: a bearer token's. */
  mode: "none" | "token";
  /** Who the caller is. */
  principal: string;
  /**
   * Where the page checks a token (`POST` with `Authorization: Bearer <token>`, answered with
   * this AuthInfo); null when the console takes no tokens.
   */
  loginPath: string | null;
  /** A bearer token's claims, as the console read them (named verified the signature). */
  token?: TokenInfo;
}

/** Who a token names, and until when the console takes it. */
export interface TokenInfo {
  user: string;
  realm: string;
  role: "admin" | "user" | "readonly";
  /** Milliseconds since the epoch: from then on every request with it is 401. */
  expires: number;
}

/** Which store serves named, and which replica leads (filled in by the etcd store). */
export interface StoreInfo {
  kind: string;
  description: string;
  /** null: not replicated. */
  replicas: { id: string; addr: string; leader: boolean }[] | null;
}

/** `GET /api/info`. */
export interface InfoJson {
  readOnly: boolean;
  named: string[];
  uname: string;
  auth: AuthInfo;
  viewCapBytes: number;
  statsIntervalMs: number;
  store: StoreInfo;
}

/** One line of the watch log. */
export interface LogEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  /** The watched directory. */
  dir: string;
  kind: "created" | "removed" | "changed" | "fired" | "armed" | "stopped" | "error";
  /** The entry concerned, if any. */
  name?: string;
  detail?: string;
}

/** Event `dir`: what changed in a watched directory, found by listing it after its watch fired. */
export interface DirEvent {
  path: string;
  added: EntryJson[];
  removed: string[];
  changed: EntryJson[];
  dirVersion: number;
}

/** The `.statsd` counters of one server at one moment, and the rates since the sample before. */
export interface ServerSample {
  counters: Record<string, number>;
  /** Requests per second since the previous sample; empty for the first. */
  rates: Record<string, number>;
}

/** Event `stats`: one sample of every sampled server, keyed by its path (`name` for named). */
export interface StatsSample {
  /** Milliseconds since the epoch. */
  t: number;
  servers: Record<string, ServerSample>;
}

/** A registered server (a mount record found in named), or named itself. */
export interface ServerInfo {
  /** Where it is registered; `name` for named. */
  path: string;
  kind: "named" | "memfsd" | "procd" | "rpc" | "server";
  addrs: string[];
  root: string;
  /** RPC servers: per-method numbers from their `stats` file and the sessions with a directory. */
  rpc?: { methods: Record<string, { N: number; Tot: number; Max: number; Avg: number }> };
  /** Sessions the server shows (an RPC server's `<S>-rpc/` directories), hex ids. */
  sessions?: string[];
  error?: string;
}

/** An election found by its epoch file `<leader>-epoch` (docs/coordination.md). */
export interface LeaderInfo {
  /** The leader file; it exists while someone leads. */
  path: string;
  held: boolean;
  owner?: string;
  ephemeral?: boolean;
  /** What the leader wrote into its file (UTF-8, cut short). */
  data?: string;
  epochFile: string;
  /** Decimal; null if unreadable. */
  epoch: string | null;
  /** The fence id every leader of this election uses: the epoch file's object id, hex. */
  fenceId: string;
}

/** One entry of a server's `.fences`. */
export interface FenceInfo {
  /** The server's path (`name` for named). */
  server: string;
  fenceId: string;
  version: number;
  mtime: number;
  /** The election whose fence id this is, if found. */
  leader?: string;
}

/** An ephemeral object and the user that created it. */
export interface EphemeralInfo {
  path: string;
  owner: string;
  kind: EntryKind;
  version: number;
}

/** One proc as its procd reports it. */
export interface ProcJson {
  pid: string;
  program: string;
  args: string[];
  osPid: number;
  warm: boolean;
  state: string;
  spawnedAt: number;
  parentDir: string;
}

/** A procd and its procs. */
export interface ProcdJson {
  kernel: string;
  addr: string;
  warmIdle: number;
  procs: ProcJson[];
  /** pids in `queue/` and `running/`. */
  queued: string[];
  running: string[];
  error?: string;
}

/** Event `cluster` and `GET /api/cluster`: what a bounded scan of the namespace found. */
export interface ClusterJson {
  /** Milliseconds since the epoch. */
  at: number;
  scan: { dirs: number; entries: number; truncated: boolean; ms: number };
  servers: ServerInfo[];
  leaders: LeaderInfo[];
  fences: FenceInfo[];
  ephemeral: EphemeralInfo[];
  procds: ProcdJson[];
  store: StoreInfo;
  errors: string[];
}

/** Event `hello`: the stream's id, to name it in `POST /api/watch`. */
export interface HelloEvent {
  stream: string;
  log: LogEntry[];
  stats: StatsSample[];
}
