import { useEditor, useIssues } from '../app/editor-context.ts';
import { Icon } from './Icon.tsx';

/** Every problem the engine found, each leading to its node. */
export function ErrorList({ onClose }: { onClose: () => void }) {
  const controller = useEditor();
  const issues = useIssues();
  return (
    <section className="rg-popover rg-errors" aria-label="problems">
      <header className="rg-popover-head">
        <span>Problems</span>
        <button type="button" className="rg-icon-button" aria-label="close problems" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {issues.length === 0 ? (
        <p className="rg-hint">The engine finds nothing wrong with this pipeline.</p>
      ) : (
        <ul>
          {issues.map((issue, index) => {
            const where = [issue.nodeId, issue.port ?? issue.param].filter(Boolean).join(' · ');
            return (
              <li key={index}>
                {issue.nodeId !== undefined ? (
                  <button type="button" className="rg-error-item" aria-label={`go to node ${issue.nodeId}: ${issue.message}`} onClick={() => controller.focusNode(issue.nodeId!)}>
                    <Icon name="warning" size={12} />
                    <span className="rg-error-where">{where}</span>
                    <span>{issue.message}</span>
                  </button>
                ) : (
                  <div className="rg-error-item">
                    <Icon name="warning" size={12} />
                    <span>{issue.message}</span>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
