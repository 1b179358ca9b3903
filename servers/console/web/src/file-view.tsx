/**
 * A file's content: text as it is, JSON pretty-printed (or raw), anything else as a hex dump;
 * at most the view cap, with a download for the whole file. Editing keeps the version the content
 * was read at and saves with it: a refused save shows the message and the content now on the
 * server, to take or to overwrite knowingly.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { FileJson, SaveReply } from "../../api-types.js";
import { ApiFailure, downloadUrl, downloadWithToken, errorMessage, sendJson } from "./api.js";
import { base64Bytes, baseName, formatBytes, hexDump, prettyJson } from "./format.js";
import { session } from "./session.js";

interface Props {
  file: FileJson;
  canEdit: boolean;
  /** The file as it is after a save or after taking the other version. */
  onFile(f: FileJson): void;
}

type Mode = "pretty" | "raw" | "hex";

export function FileView({ file, canEdit, onFile }: Props): JSX.Element {
  const [mode, setMode] = useState<Mode>(file.json ? "pretty" : file.text ? "raw" : "hex");
  const [editing, setEditing] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const download = async (path: string) => {
    setDownloadError(null);
    try {
      await downloadWithToken(path, baseName(path));
    } catch (e) {
      setDownloadError(`download failed: ${errorMessage(e)}`);
    }
  };
  useEffect(() => {
    setMode(file.json ? "pretty" : file.text ? "raw" : "hex");
  }, [file.path]);
  const editable = canEdit && file.text && !file.truncated;

  if (editing) {
    return (
      <Editor
        file={file}
        onClose={(f) => {
          setEditing(false);
          if (f !== null) onFile(f);
        }}
      />
    );
  }
  return (
    <section class="viewer" aria-label="content">
      <div class="toolbar">
        {file.text ? (
          <div class="modes" role="group" aria-label="view as">
            {file.json ? <ModeButton m="pretty" cur={mode} set={setMode} label="JSON" /> : null}
            <ModeButton m="raw" cur={mode} set={setMode} label="text" />
            <ModeButton m="hex" cur={mode} set={setMode} label="hex" />
          </div>
        ) : (
          <span class="muted">binary</span>
        )}
        <span class="muted">
          version {file.version} · {formatBytes(file.size)}
        </span>
        {session.token === null ? (
          <a class="button" href={downloadUrl(file.path)} download>
            Download
          </a>
        ) : (
          <button onClick={() => void download(file.path)}>Download</button>
        )}
        {editable ? <button onClick={() => setEditing(true)}>Edit</button> : null}
      </div>
      {downloadError === null ? null : (
        <p role="alert" class="error">
          {downloadError}
        </p>
      )}
      {file.truncated ? (
        <p class="notice">
          Showing the first {formatBytes(bytesShown(file))} of {formatBytes(file.size)}; download
          for the rest.
        </p>
      ) : null}
      <pre class={`content mode-${mode}`} data-testid="content">
        {render(file, mode)}
      </pre>
    </section>
  );
}

function bytesShown(f: FileJson): number {
  return f.text ? new TextEncoder().encode(f.content).length : base64Bytes(f.content).length;
}

function render(f: FileJson, mode: Mode): string {
  if (!f.text) return hexDump(base64Bytes(f.content));
  if (mode === "hex") return hexDump(new TextEncoder().encode(f.content));
  if (mode === "pretty") return prettyJson(f.content) ?? f.content;
  return f.content;
}

function ModeButton(p: { m: Mode; cur: Mode; set(m: Mode): void; label: string }): JSX.Element {
  return (
    <button aria-pressed={p.m === p.cur} onClick={() => p.set(p.m)}>
      {p.label}
    </button>
  );
}

function Editor({
  file,
  onClose,
}: {
  file: FileJson;
  onClose(f: FileJson | null): void;
}): JSX.Element {
  const [base, setBase] = useState(file);
  const [draft, setDraft] = useState(file.content);
  const [theirs, setTheirs] = useState<FileJson | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (version: number) => {
    setSaving(true);
    setMessage(null);
    try {
      const r = await sendJson<SaveReply>("PUT", "/api/file", {
        path: base.path,
        version,
        content: draft,
      });
      onClose(r.file);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409 && e.body.current !== undefined) {
        setTheirs(e.body.current);
      }
      setMessage(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="editor" aria-label="editor">
      <div class="toolbar">
        <span class="muted">editing version {base.version}</span>
        <button onClick={() => void save(base.version)} disabled={saving}>
          Save
        </button>
        <button onClick={() => onClose(null)}>Cancel</button>
      </div>
      {message === null ? null : (
        <p role="alert" class="error">
          {message}
        </p>
      )}
      <textarea
        aria-label="file content"
        spellcheck={false}
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
      />
      {theirs === null ? null : (
        <div class="theirs" aria-label="content on the server">
          <div class="toolbar">
            <span>On the server now (version {theirs.version}):</span>
            <button
              onClick={() => {
                setBase(theirs);
                setDraft(theirs.content);
                setTheirs(null);
                setMessage(null);
              }}
            >
              Take theirs
            </button>
            <button onClick={() => void save(theirs.version)} disabled={saving}>
              Save mine over it
            </button>
          </div>
          <pre class="content" data-testid="theirs">
            {theirs.text ? theirs.content : hexDump(base64Bytes(theirs.content))}
          </pre>
        </div>
      )}
    </section>
  );
}
