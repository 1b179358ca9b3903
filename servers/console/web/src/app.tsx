/**
 * The console page: the tree, the selected object, and the panels, side by side on a wide
 * screen and one at a time (tabs) on a narrow one. Everything live arrives over one event stream.
 * The page is one principal's: a login or log-out starts it afresh (session.ts), and while the
 * console wants a login it shows only the login form.
 */
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type {
  ClusterJson,
  DirEvent,
  EntryJson,
  InfoJson,
  LogEntry,
  StatsSample,
} from "../../api-types.js";
import { errorMessage, getJson } from "./api.js";
import { AuthSlot } from "./auth-slot.js";
import {
  EphemeralPanel,
  LeadersPanel,
  ProcsPanel,
  ServersPanel,
  StorePanel,
} from "./cluster-panels.js";
import { Live } from "./live.js";
import { LoginForm } from "./login-form.js";
import { ObjectView } from "./object-view.js";
import { RatesPanel } from "./rates-panel.js";
import { session } from "./session.js";
import { Store, useStore } from "./store.js";
import { Tree } from "./tree.js";
import { TreeStore } from "./tree-store.js";
import { WatchLogPanel } from "./watch-log-panel.js";

/** Watch-log lines and rate samples kept in the page. */
const LOG_KEPT = 500;
const STATS_KEPT = 600;

type Tab = "tree" | "object" | "panels";

interface Selection {
  entry: EntryJson;
  /** What the watch of its directory last reported about it. */
  seen: number | "gone" | null;
}

/** The page's live state, fed by the event stream. */
class PageState {
  readonly log = new Store<LogEntry[]>([]);
  readonly stats = new Store<StatsSample[]>([]);
  readonly cluster = new Store<ClusterJson | null>(null);
  readonly connected = new Store(false);
  readonly selection = new Store<Selection | null>(null);
  readonly live: Live;
  readonly tree: TreeStore;

  constructor() {
    this.live = new Live({
      hello: (h) => {
        this.log.set(h.log);
        this.stats.set(h.stats);
        this.connected.set(true);
        void this.tree.resync();
      },
      dir: (ev) => {
        this.tree.applyDirEvent(ev);
        this.#noteSelected(ev);
      },
      log: (e) => this.log.update((l) => [...l.slice(-(LOG_KEPT - 1)), e]),
      stats: (s) => this.stats.update((l) => [...l.slice(-(STATS_KEPT - 1)), s]),
      cluster: (c) => this.cluster.set(c),
      down: () => this.connected.set(false),
    });
    this.tree = new TreeStore(this.live);
  }

  #noteSelected(ev: DirEvent): void {
    const sel = this.selection.value;
    if (sel === null) return;
    const base = ev.path.replace(/\/$/, "");
    const mine = (name: string) => `${base}/${name}` === sel.entry.path;
    const now = [...ev.changed, ...ev.added].find((e) => e.path === sel.entry.path);
    if (now !== undefined) this.selection.set({ ...sel, seen: now.version });
    else if (ev.removed.some(mine)) this.selection.set({ ...sel, seen: "gone" });
  }
}

export function App(): JSX.Element {
  const s = useStore(session.state);
  if (s.gate !== null) return <LoginPage loginPath={s.gate.loginPath} error={s.gate.error} />;
  return <ConsolePage key={s.epoch} />;
}

/** What a console that requires a login shows until it has one. */
function LoginPage(props: { loginPath: string; error: string | null }): JSX.Element {
  return (
    <div class="page">
      <header class="top">
        <h1>sigmats console</h1>
      </header>
      <main class="login-page">
        <p>This console requires a login: paste a sigma token.</p>
        <LoginForm loginPath={props.loginPath} error={props.error} />
      </main>
    </div>
  );
}

function ConsolePage(): JSX.Element {
  const page = useMemo(() => new PageState(), []);
  const [info, setInfo] = useState<InfoJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("tree");
  const selection = useStore(page.selection);
  const connected = useStore(page.connected);
  const log = useStore(page.log);
  const stats = useStore(page.stats);
  const cluster = useStore(page.cluster);

  useEffect(() => {
    getJson<InfoJson>("/api/info")
      .then(setInfo)
      .catch((e: unknown) => setError(errorMessage(e)));
    getJson<ClusterJson>("/api/cluster")
      .then((c) => page.cluster.set(c))
      .catch(() => undefined);
    return () => page.live.close();
  }, [page]);

  const select = (entry: EntryJson) => {
    page.selection.set({ entry, seen: null });
    if (window.matchMedia("(max-width: 899px)").matches && entry.kind !== "dir") setTab("object");
  };

  return (
    <div class="page">
      <header class="top">
        <h1>sigmats console</h1>
        {info === null ? null : (
          <span class="muted" title="named's address">
            named {info.named.join(", ")}
          </span>
        )}
        {info?.readOnly === true ? <span class="badge ro">read-only</span> : null}
        <span class={`badge ${connected ? "live" : "off"}`} role="status">
          {connected ? "live" : "offline"}
        </span>
        {info === null ? null : <AuthSlot auth={info.auth} />}
      </header>
      {error === null ? null : (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <nav class="tabs" role="tablist" aria-label="views">
        {(["tree", "object", "panels"] as const).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </nav>
      <main class="layout" data-tab={tab}>
        <section class="pane pane-tree" aria-label="tree">
          <Tree store={page.tree} selected={selection?.entry.path ?? null} onSelect={select} />
        </section>
        <section class="pane pane-object">
          {selection === null || info === null ? (
            <p class="muted">Select an object in the tree.</p>
          ) : (
            <ObjectView
              entry={selection.entry}
              readOnly={info.readOnly}
              seen={selection.seen}
              onRemoved={() => page.selection.set(null)}
            />
          )}
        </section>
        <aside class="pane pane-panels" aria-label="panels">
          <Panel title="Watch log">
            <WatchLogPanel entries={log} />
          </Panel>
          <Panel title="Requests">
            <RatesPanel samples={stats} intervalMs={info?.statsIntervalMs ?? 2000} />
          </Panel>
          {cluster === null ? (
            <p class="muted">Looking around the namespace…</p>
          ) : (
            <>
              <Panel title="Leaders and fences">
                <LeadersPanel c={cluster} />
              </Panel>
              <Panel title="Servers and sessions">
                <ServersPanel c={cluster} />
              </Panel>
              <Panel title="Procs">
                <ProcsPanel c={cluster} />
              </Panel>
              <Panel title="Ephemeral objects">
                <EphemeralPanel c={cluster} />
              </Panel>
              <Panel title="Store">
                <StorePanel c={cluster} />
              </Panel>
            </>
          )}
        </aside>
      </main>
    </div>
  );
}

function Panel({ title, children }: { title: string; children: ComponentChildren }): JSX.Element {
  return (
    <details class="panel" open>
      <summary>{title}</summary>
      {children}
    </details>
  );
}
