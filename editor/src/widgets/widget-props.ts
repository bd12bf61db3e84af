import type { ReactNode } from 'react';
import type { CatalogEntry, ParamSpec } from '../catalog/catalog-types.ts';

/** What every param widget receives. `label` is its accessible name: `<node title>: <param>`. */
export interface WidgetProps<S extends ParamSpec = ParamSpec> {
  nodeId: string;
  nodeTitle: string;
  entry: CatalogEntry;
  name: string;
  spec: S;
  value: unknown;
  /** The node's params, for widgets that draw several at once (the camera path editor). */
  params: Readonly<Record<string, unknown>>;
  label: string;
  onChange: (value: unknown) => void;
  /** Draws a sibling param with its ordinary widget, for widgets that gather params. */
  renderParam: (name: string) => ReactNode;
}

export function paramLabel(nodeTitle: string, name: string): string {
  return `${nodeTitle}: ${name}`;
}

/** `clip1` → `clip 1`, `keyframes` → `keyframes`: param names read as words. */
export function humanize(name: string): string {
  return name
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
}
