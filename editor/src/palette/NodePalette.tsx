import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useCatalog, useEditor } from '../app/editor-context.ts';
import { portColor } from '../graph/port-colors.ts';
import { groupByCategory, searchCatalog, type PaletteItem, type PendingWire } from './palette-search.ts';

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
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const items = useMemo(() => searchCatalog([...catalog.values()], query, request.wire), [catalog, query, request.wire]);
  const groups = query.trim() === '' ? groupByCategory(items) : [{ category: '', items }];
  const flat = groups.flatMap((group) => group.items);
  const current = Math.min(active, flat.length - 1);

  const choose = (item: PaletteItem | undefined) => {
    if (!item) return;
    controller.addNode(item.entry.type, request.flow, request.wire && { ...request.wire, ...(item.port !== undefined ? { targetPort: item.port } : {}) });
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
              {group.items.map((item) => {
                index += 1;
                const mine = index;
                return (
                  <div
                    key={item.entry.type}
                    id={optionId(mine)}
                    role="option"
                    aria-selected={mine === current}
                    aria-label={item.entry.title}
                    className={mine === current ? 'rg-palette-item rg-active' : 'rg-palette-item'}
                    onPointerEnter={() => setActive(mine)}
                    onClick={() => choose(item)}
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
