import type { NodeRunView } from '../run/run-store.ts';
import { statusText } from './StatusBadge.tsx';

/**
 * What a node shows when the canvas is zoomed far out (see LOW_DETAIL_ZOOM):
 * its title, large, and its run state in a word. Hidden otherwise. For the
 * eye only: the node's own name and status badge say the same to assistive
 * technology.
 */
export function NodeGlance({ title, run }: { title: string; run?: NodeRunView }) {
  const status = run && statusText(run);
  return (
    <div className="rg-node-glance" aria-hidden="true">
      <span className="rg-glance-title">{title}</span>
      {status && <span className={`rg-glance-status rg-glance-${run.state}`}>{status}</span>}
    </div>
  );
}
