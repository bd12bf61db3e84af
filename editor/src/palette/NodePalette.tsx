import type { LibraryEntrySummary } from '@reelgraph/engine';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useCatalog, useConnection, useEditor } from '../app/editor-context.ts';
import { portColor } from '../graph/port-colors.ts';
import { REUSABLE_CATEGORY } from '../reusable/use-node-spec.ts';
import { groupByCategory, searchCatalog, searchLibrary, type PaletteItem, type PendingWire } from './palette-search.ts';

/** A row of the palette: a node kind, or a reusable graph from the engine's library. */
type Option = { kind: 'node'; item: PaletteItem } | { kind: 'library'; entry: LibraryEntrySummary };

const NO_ENTRIES: LibraryEntrySummary[] = [];

export interface PaletteRequest {
  /** Where the palette appears, in page pixels. */
  screen: { x: number; y: number };
  /** Where the new node goes, in canvas coordinates. */
  flow: { x: number; y: number };
  wire?: PendingWire;
}

const WIDTH = 300;
const HEIGHT = 380;

/** The searchable node list: type to filter, arrows to move, Enter to add. */
export function NodePalette({ request, onClose }: { request: PaletteRequest; onClose: () => void }) {
  const controller = useEditor();
  const catalog = useCatalog();
  const library = useConnection().library ?? NO_ENTRIES;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const items = useMemo(() => searchCatalog([...catalog.values()], query, request.wire), [catalog, query, request.wire]);
  const fromLibrary = useMemo(() => searchLibrary(library, query, request.wire), [library, query, request.wire]);
  const groups = paletteGroups(items, fromLibrary, query.trim() === '');
  const flat = groups.flatMap((group) => group.options);
  const current = Math.min(active, flat.length - 1);

  const choose = (option: Option | undefined) => {
    if (!option) return;
    if (option.kind === 'library') void controller.insertFromLibrary(option.entry.id, request.flow);
    else {
      const { item } = option;
      controller.addNode(item.entry.type, request.flow, request.wire && { ...request.wire, ...(item.port !== undefined ? { targetPort: item.port } : {}) });
    }
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((Math.max(0, current) + step + flat.length) % Math.max(1, flat.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(flat[current]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  const left = Math.max(8, Math.min(request.screen.x, window.innerWidth - WIDTH - 8));
  const top = Math.max(8, Math.min(request.screen.y, window.innerHeight - HEIGHT - 8));
  const optionId = (index: number) => `${listId}-${index}`;
  let index = -1;
  return (
    <div className="rg-overlay" onPointerDown={onClose}>
      <div
        className="rg-palette"
        role="dialog"
        aria-label="Add node"
        style={{ left, top, width: WIDTH, maxHeight: HEIGHT }}
        onPointerDown={(event) => event.stopPropagation()}
      >
        {request.wire && (
          <div className="rg-palette-wire">
            <span className="rg-dot" style={{ background: portColor(request.wire.type) }} />
            Nodes that {request.wire.from === 'output' ? 'take' : 'give'} {request.wire.type}
          </div>
        )}
        <input
          autoFocus
          className="rg-input rg-palette-search"
          aria-label="search nodes"
          placeholder="Search nodes…"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={flat.length > 0 ? optionId(current) : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div className="rg-palette-list" role="listbox" id={listId} aria-label="nodes">
          {flat.length === 0 && <p className="rg-palette-empty">No node {request.wire ? `that fits a ${request.wire.type} wire ` : ''}matches “{query}”.</p>}
          {groups.map((group) => (
            <div key={group.category} role="group" aria-label={group.category || 'matches'}>
              {group.category && <div className="rg-palette-category">{group.category}</div>}
              {group.options.map((option) => {
                index += 1;
                const mine = index;
                if (option.kind === 'library') {
                  const { entry } = option;
                  return (
                    <div
                      key={`library:${entry.id}`}
                      id={optionId(mine)}
                      role="option"
                      aria-selected={mine === current}
                      aria-label={`${entry.name} (from the library)`}
                      className={mine === current ? 'rg-palette-item rg-active' : 'rg-palette-item'}
                      onPointerEnter={() => setActive(mine)}
                      onClick={() => choose(option)}
                    >
                      <span className="rg-palette-title">
                        {entry.name}
                        <span className="rg-palette-library-actions">
                          <span className="rg-palette-library" title="Saved in the engine's library">
                            library
                          </span>
                          <button
                            type="button"
                            className="rg-palette-remove"
                            aria-label={`remove ${entry.name} from the library`}
                            title="Remove from the library (pipelines that use it keep their copy)"
                            onClick={(event) => {
                              event.stopPropagation();
                              if (window.confirm(`Remove “${entry.name}” from the library? Pipelines that use it keep their own copy.`)) controller.removeFromLibrary(entry.id);
                            }}
                          >
                            ×
                          </button>
                        </span>
                      </span>
                      <span className="rg-palette-description">{entry.description ?? 'A reusable graph from the library.'}</span>
                    </div>
                  );
                }
                const { item } = option;
                return (
                  <div
                    key={item.entry.type}
                    id={optionId(mine)}
                    role="option"
                    aria-selected={mine === current}
                    aria-label={item.entry.title}
                    className={mine === current ? 'rg-palette-item rg-active' : 'rg-palette-item'}
                    onPointerEnter={() => setActive(mine)}
                    onClick={() => choose(option)}
                  >
                    <span className="rg-palette-title">
                      {item.entry.title}
                      <span className="rg-palette-ports">
                        {Object.values(item.entry.outputs).map((port, i) => (
                          <span key={i} className="rg-dot" style={{ background: portColor(port.type) }} title={port.type} />
                        ))}
                      </span>
                    </span>
                    <span className="rg-palette-description">{item.entry.description}</span>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * The palette's groups: by category without a query, with the library's
 * graphs after the document's in "Reusable graphs"; one list of matches with one.
 */
function paletteGroups(items: readonly PaletteItem[], library: readonly LibraryEntrySummary[], byCategory: boolean): { category: string; options: Option[] }[] {
  const libraryOptions = library.map((entry): Option => ({ kind: 'library', entry }));
  if (!byCategory) return [{ category: '', options: [...items.map((item): Option => ({ kind: 'node', item })), ...libraryOptions] }];
  const groups = groupByCategory(items).map(({ category, items: list }) => ({ category, options: list.map((item): Option => ({ kind: 'node', item })) }));
  if (libraryOptions.length === 0) return groups;
  const reusable = groups.find((group) => group.category === REUSABLE_CATEGORY);
  if (reusable) reusable.options.push(...libraryOptions);
  else groups.push({ category: REUSABLE_CATEGORY, options: libraryOptions });
  return groups;
}
