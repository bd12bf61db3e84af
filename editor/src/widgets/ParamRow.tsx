import type { ReactNode } from 'react';
import { humanize } from './widget-props.ts';

/** A param's row: its name on the left, the control on the right; `stacked` puts wide controls below. */
export function ParamRow({ name, description, stacked = false, children }: { name: string; description?: string | undefined; stacked?: boolean; children: ReactNode }) {
  return (
    <div className={stacked ? 'rg-param rg-param-stacked' : 'rg-param'} title={description}>
      <span className="rg-param-name" aria-hidden="true">
        {humanize(name)}
      </span>
      <div className="rg-param-control">{children}</div>
    </div>
  );
}
