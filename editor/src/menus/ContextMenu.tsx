/**
 * A context menu at a point on screen, reachable by keyboard as menus are
 * (WAI-ARIA menu pattern): it takes the focus on its first usable item,
 * arrows move between items (wrapping), Home and End jump, Enter or Space
 * chooses, Escape or a click elsewhere closes it and gives the focus back.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { displayKeys } from '../app/keyboard-shortcuts.ts';
import type { MenuItem } from './context-menu-items.ts';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function ContextMenu({ at, label, items, onChoose, onClose }: { at: { x: number; y: number }; label: string; items: readonly MenuItem[]; onChoose: (item: MenuItem) => void; onClose: () => void }) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => entries[(to + entries.length) % entries.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(entries.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // Kept inside the window: a menu opened near the right or bottom edge opens towards the middle.
  const style = { left: Math.min(at.x, window.innerWidth - 240), top: Math.min(at.y, window.innerHeight - 36 * items.length - 12) };
  return (
    <>
      <div className="rg-overlay" onPointerDown={onClose} onContextMenu={(event) => (event.preventDefault(), onClose())} />
      <div ref={menu} className="rg-menu rg-context-menu" role="menu" aria-label={label} style={style} onKeyDown={onKeyDown}>
        {items.map((item) => (
          <button
            key={item.action}
            type="button"
            role="menuitem"
            className="rg-menu-item rg-context-item"
            aria-disabled={item.disabledBecause ? true : undefined}
            title={item.disabledBecause}
            onClick={() => {
              if (item.disabledBecause) return;
              onClose();
              onChoose(item);
            }}
          >
            <span className="rg-menu-title">{item.label}</span>
            {item.keys && <kbd className="rg-context-keys">{displayKeys(item.keys, MAC)}</kbd>}
          </button>
        ))}
      </div>
    </>
  );
}
