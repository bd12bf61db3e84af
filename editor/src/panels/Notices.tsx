import { useEditor, useNotices } from '../app/editor-context.ts';
import { Icon } from './Icon.tsx';

/** Transient messages over the bottom of the canvas; errors are announced at once. */
export function Notices() {
  const { notices } = useEditor();
  const list = useNotices();
  return (
    <div className="rg-notices" role="log" aria-live="polite" aria-label="notices">
      {list.map((notice) => (
        <div key={notice.id} className={`rg-notice rg-notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="rg-icon-button" aria-label="dismiss" onClick={() => notices.dismiss(notice.id)}>
            <Icon name="close" size={12} />
          </button>
        </div>
      ))}
    </div>
  );
}
