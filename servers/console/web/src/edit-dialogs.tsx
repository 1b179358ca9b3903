/**
 * Creating, renaming and removing, each confirmed in a dialog that names exactly what will
 * happen before anything is sent. Only rendered when the console may change things.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { CreateRequest, DetailsJson, EntryJson } from "../../api-types.js";
import { errorMessage, sendJson } from "./api.js";
import { Modal } from "./modal.js";

interface CreateProps {
  /** The listing path of the directory to create in. */
  dir: string;
  onDone(created: EntryJson | null): void;
}

export function CreateDialog({ dir, onDone }: CreateProps): JSX.Element {
  const [kind, setKind] = useState<CreateRequest["kind"]>("file");
  const [name, setName] = useState("");
  const [content, setContent] = useState("");
  const [target, setTarget] = useState("");
  const [ephemeral, setEphemeral] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `${dir.replace(/\/$/, "")}/${name}`;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    const req: CreateRequest = { path, kind, ephemeral };
    if (kind === "file") req.content = content;
    if (kind === "symlink") req.target = target;
    try {
      const d = await sendJson<DetailsJson>("POST", "/api/create", req);
      onDone(d.entry);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title="Create" onClose={() => onDone(null)}>
      <form onSubmit={submit} class="form">
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as CreateRequest["kind"])}
          >
            <option value="file">file</option>
            <option value="dir">directory</option>
            <option value="symlink">symlink</option>
          </select>
        </label>
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
        </label>
        {kind === "file" ? (
          <label>
            Content
            <textarea rows={4} value={content} onInput={(e) => setContent(e.currentTarget.value)} />
          </label>
        ) : null}
        {kind === "symlink" ? (
          <label>
            Target path
            <input required value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
          </label>
        ) : null}
        <label class="check">
          <input
            type="checkbox"
            checked={ephemeral}
            onChange={(e) => setEphemeral(e.currentTarget.checked)}
          />
          ephemeral (removed when the console's session ends)
        </label>
        <p class="confirm">
          Creates <code>{name === "" ? `${dir.replace(/\/$/, "")}/…` : path}</code>
          {kind === "file" ? "; an existing file is never replaced" : ""}.
        </p>
        {error === null ? null : (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" disabled={name === ""}>
            Create
          </button>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface EntryProps {
  entry: EntryJson;
  onDone(done: boolean): void;
}

export function RenameDialog({ entry, onDone }: EntryProps): JSX.Element {
  const [to, setTo] = useState(entry.path);
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    try {
      await sendJson("POST", "/api/rename", { from: entry.path, to });
      onDone(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title="Rename" onClose={() => onDone(false)}>
      <form onSubmit={submit} class="form">
        <label>
          New path
          <input required value={to} onInput={(e) => setTo(e.currentTarget.value)} autoFocus />
        </label>
        <p class="confirm">
          Renames <code>{entry.path}</code> to <code>{to}</code>; an existing target is not
          replaced.
        </p>
        {error === null ? null : (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" disabled={to === "" || to === entry.path}>
            Rename
          </button>
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RemoveDialog({ entry, onDone }: EntryProps): JSX.Element {
  const [recursive, setRecursive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    try {
      await sendJson("POST", "/api/remove", { path: entry.path, recursive });
      onDone(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title="Remove" onClose={() => onDone(false)}>
      <form onSubmit={submit} class="form">
        <p class="confirm">
          Removes <code>{entry.path}</code>
          {entry.kind === "dir" ? (recursive ? " and everything in it" : " if it is empty") : ""}.
          This cannot be undone.
        </p>
        {entry.kind === "dir" ? (
          <label class="check">
            <input
              type="checkbox"
              checked={recursive}
              onChange={(e) => setRecursive(e.currentTarget.checked)}
            />
            everything in it too
          </label>
        ) : null}
        {error === null ? null : (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="danger">
            Remove
          </button>
          <button type="button" onClick={() => onDone(false)} autoFocus>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
