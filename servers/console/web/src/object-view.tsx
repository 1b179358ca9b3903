/** The selected object: its details, its content for a file, and (if allowed) the edit actions. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { DetailsJson, EntryJson, FileJson } from "../../api-types.js";
import { errorMessage, getJson } from "./api.js";
import { Details } from "./details.js";
import { CreateDialog, RemoveDialog, RenameDialog } from "./edit-dialogs.js";
import { FileView } from "./file-view.js";
import { ROOT, listingPathOf } from "./tree-model.js";

interface Props {
  entry: EntryJson;
  readOnly: boolean;
  /** The version the tree's watch last saw for this object; "gone" once it was removed. */
  seen: number | "gone" | null;
  onRemoved(): void;
}

type Dialog = "create" | "rename" | "remove" | null;

export function ObjectView({ entry, readOnly, seen, onRemoved }: Props): JSX.Element {
  const [details, setDetails] = useState<DetailsJson | null>(null);
  const [file, setFile] = useState<FileJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      try {
        const d = await getJson<DetailsJson>("/api/stat", { path: entry.path });
        if (!live) return;
        setDetails(d);
        if (d.entry.kind === "file") {
          const f = await getJson<FileJson>("/api/file", { path: entry.path });
          if (live) setFile(f);
        } else {
          setFile(null);
        }
      } catch (e) {
        if (live) setError(errorMessage(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [entry.path, reload]);

  const isRoot = entry.path === ROOT.path;
  const dir = listingPathOf(entry);
  const shown = file?.path === entry.path ? file.version : details?.entry.version;
  const stale = seen === "gone" || (seen !== null && shown !== undefined && seen > shown);
  return (
    <section class="object" aria-label="object">
      <header class="object-head">
        <h2 title={entry.path}>{isRoot ? "name/" : entry.path}</h2>
        <div class="actions">
          <button onClick={() => setReload((n) => n + 1)}>Reload</button>
          {readOnly ? null : (
            <>
              {entry.kind === "dir" && dir !== null ? (
                <button onClick={() => setDialog("create")}>New…</button>
              ) : null}
              {isRoot ? null : <button onClick={() => setDialog("rename")}>Rename…</button>}
              {isRoot ? null : (
                <button class="danger" onClick={() => setDialog("remove")}>
                  Remove…
                </button>
              )}
            </>
          )}
        </div>
      </header>
      {stale ? (
        <p class="notice" role="status">
          {seen === "gone"
            ? "This object was removed or renamed on the server."
            : `Version ${seen} is on the server now.`}{" "}
          <button onClick={() => setReload((n) => n + 1)}>Reload</button>
        </p>
      ) : null}
      {error === null ? null : (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {details === null || details.entry.path !== entry.path ? null : <Details d={details} />}
      {file === null || file.path !== entry.path ? null : (
        <FileView
          file={file}
          canEdit={!readOnly}
          onFile={(f) => {
            setFile(f);
            setDetails((d) =>
              d === null ? d : { ...d, entry: { ...d.entry, version: f.version, size: f.size } },
            );
          }}
        />
      )}
      {dialog === "create" && dir !== null ? (
        <CreateDialog dir={dir} onDone={() => setDialog(null)} />
      ) : null}
      {dialog === "rename" ? (
        <RenameDialog
          entry={entry}
          onDone={(done) => {
            setDialog(null);
            if (done) onRemoved();
          }}
        />
      ) : null}
      {dialog === "remove" ? (
        <RemoveDialog
          entry={entry}
          onDone={(done) => {
            setDialog(null);
            if (done) onRemoved();
          }}
        />
      ) : null}
    </section>
  );
}
