import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/**
 * A modal dialog over a dimmed editor: its title and close button in the
 * head (the close button takes focus), Escape or a click outside closes it.
 */
export function Dialog({ title, closeLabel, onClose, className, actions, children }: {
  title: string;
  /** The close button's accessible name, e.g. "close help". */
  closeLabel: string;
  onClose: () => void;
  className?: string;
  /** Controls beside the title. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="rg-overlay rg-overlay-dim" onPointerDown={onClose}>
      <div
        className={className ? `rg-dialog ${className}` : 'rg-dialog'}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onPointerDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
      >
        <header className="rg-popover-head">
          <span className="rg-dialog-title">{title}</span>
          {actions}
          <button ref={close} type="button" className="rg-icon-button" aria-label={closeLabel} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
