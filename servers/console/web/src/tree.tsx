/**
 * The namespace tree (WAI-ARIA tree pattern): one focusable row at a time (roving tabindex);
 * ↑/↓ move, → opens a directory or enters it, ← closes it or goes to its parent, Home/End jump,
 * Enter selects (or loads the next page on a "more" row). A click selects and opens or closes.
 */
import type { JSX } from "preact";
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EntryJson } from "../../api-types.js";
import { useStore } from "./store.js";
import { ROOT, type Row, visibleRows } from "./tree-model.js";
import type { TreeStore } from "./tree-store.js";

interface Props {
  store: TreeStore;
  selected: string | null;
  onSelect(e: EntryJson): void;
}

export function Tree({ store, selected, onSelect }: Props): JSX.Element {
  const state = useStore(store);
  const rows = useMemo(() => visibleRows(state.expanded, state.listings), [state]);
  const [active, setActive] = useState<string>(ROOT.path);
  const els = useRef(new Map<string, HTMLElement>());
  const wantFocus = useRef(false);

  // The active row may vanish (collapsed, removed): fall back to the nearest row above it.
  const activeIndex = Math.max(
    0,
    rows.findIndex((r) => r.key === active),
  );
  const activeKey = rows[activeIndex]?.key ?? ROOT.path;

  // Focus follows the keyboard at once, before the browser paints.
  useLayoutEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    els.current.get(activeKey)?.focus();
  });

  const moveTo = (i: number) => {
    const r = rows[Math.min(rows.length - 1, Math.max(0, i))];
    if (r === undefined) return;
    wantFocus.current = true;
    setActive(r.key);
  };
  const toggle = (r: Row) => {
    if (r.listing === undefined) return;
    if (r.expanded) store.collapse(r.listing);
    else void store.expand(r.listing);
  };
  const activate = (r: Row) => {
    if (r.kind === "more" && r.listing !== undefined) void store.loadMore(r.listing);
    if (r.kind !== "entry" || r.entry === undefined) return;
    onSelect(r.entry);
    toggle(r);
  };

  const onKeyDown = (ev: KeyboardEvent) => {
    const r = rows[activeIndex];
    if (r === undefined) return;
    const expandable = r.kind === "entry" && r.listing !== undefined;
    switch (ev.key) {
      case "ArrowDown":
        moveTo(activeIndex + 1);
        break;
      case "ArrowUp":
        moveTo(activeIndex - 1);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(rows.length - 1);
        break;
      case "ArrowRight":
        if (expandable && !r.expanded && r.listing !== undefined) void store.expand(r.listing);
        else if (expandable && r.expanded) moveTo(activeIndex + 1);
        break;
      case "ArrowLeft":
        if (expandable && r.expanded && r.listing !== undefined) store.collapse(r.listing);
        else moveTo(rows.findIndex((p) => p.kind === "entry" && p.listing === r.parent));
        break;
      case "Enter":
      case " ":
        activate(r);
        break;
      default:
        return;
    }
    ev.preventDefault();
  };

  return (
    <div role="tree" aria-label="namespace" class="tree" onKeyDown={onKeyDown}>
      {rows.map((r, i) => (
        <TreeRow
          key={r.key}
          row={r}
          active={i === activeIndex}
          selected={r.entry !== undefined && r.entry.path === selected}
          refFn={(el) => {
            if (el === null) els.current.delete(r.key);
            else els.current.set(r.key, el);
          }}
          onClick={() => {
            setActive(r.key);
            activate(r);
          }}
        />
      ))}
    </div>
  );
}

interface RowProps {
  row: Row;
  active: boolean;
  selected: boolean;
  refFn(el: HTMLElement | null): void;
  onClick(): void;
}

function TreeRow({ row, active, selected, refFn, onClick }: RowProps): JSX.Element {
  const indent = { paddingLeft: `${0.4 + row.depth * 1.1}rem` };
  const common = {
    ref: refFn,
    role: "treeitem" as const,
    tabIndex: active ? 0 : -1,
    "aria-level": row.depth + 1,
    style: indent,
    onClick,
  };
  if (row.kind !== "entry" || row.entry === undefined) {
    const text =
      row.kind === "more"
        ? "more…"
        : row.kind === "loading"
          ? "loading…"
          : row.kind === "empty"
            ? "(empty)"
            : row.text;
    return (
      <div
        {...common}
        class={`row row-${row.kind}`}
        aria-disabled={row.kind !== "more"}
        data-listing={row.listing}
      >
        {text}
      </div>
    );
  }
  const e = row.entry;
  return (
    <div
      {...common}
      class={`row row-entry kind-${e.kind}${selected ? " selected" : ""}`}
      aria-selected={selected}
      aria-expanded={row.listing === undefined ? undefined : row.expanded === true}
      data-path={e.path}
    >
      <span class="caret" aria-hidden="true">
        {row.listing === undefined ? "" : row.expanded ? "▾" : "▸"}
      </span>
      <span class={`icon icon-${e.kind}`} aria-hidden="true" />
      <span class="name">{e.path === ROOT.path ? "name/" : e.name}</span>
      {e.kind === "dir" && e.path !== ROOT.path ? <span class="slash">/</span> : null}
      {e.ephemeral ? (
        <span class="badge eph" title="ephemeral: goes with its session">
          eph
        </span>
      ) : null}
      {e.kind === "symlink" ? <span class="badge link">link</span> : null}
      {e.path === ROOT.path ? null : <span class="meta">v{e.version}</span>}
    </div>
  );
}
