import { CLIPBOARD_SHORTCUTS, MOUSE_GESTURES, SHORTCUTS, displayKeys } from '../app/keyboard-shortcuts.ts';
import { PORT_COLORS } from '../graph/port-colors.ts';
import { Dialog } from './Dialog.tsx';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Shortcuts, gestures and the wire colours. */
export function HelpPanel({ onClose }: { onClose: () => void }) {
  const rows = [...SHORTCUTS.map(({ keys, description }) => ({ keys, description })), ...CLIPBOARD_SHORTCUTS];
  return (
    <Dialog title="Keyboard shortcuts" closeLabel="close help" onClose={onClose}>
      <div className="rg-help-columns">
        <table className="rg-help-table">
          <tbody>
            {rows.map((row) => (
              <tr key={row.keys}>
                <td>
                  <kbd>{displayKeys(row.keys, MAC)}</kbd>
                </td>
                <td>{row.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <table className="rg-help-table">
            <tbody>
              {MOUSE_GESTURES.map((row) => (
                <tr key={row.keys}>
                  <td>
                    <kbd>{row.keys}</kbd>
                  </td>
                  <td>{row.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="rg-help-heading">Wires</h3>
          <ul className="rg-legend">
            {Object.entries(PORT_COLORS).map(([type, color]) => (
              <li key={type}>
                <span className="rg-dot" style={{ background: color }} /> {type}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Dialog>
  );
}
