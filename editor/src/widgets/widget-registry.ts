/**
 * Custom widgets by the `widget` name a json param declares, and which sibling
 * params each one draws itself. The editor's only node-specific code is here.
 */
import type { ComponentType } from 'react';
import { readParamSpec, type CatalogEntry, type JsonSpec } from '../catalog/catalog-types.ts';
import { CAMERA_PATH_PARAMS, CameraPathWidget } from './CameraPathWidget.tsx';
import { MASK_PAINTER_PARAMS, MaskPainterWidget } from './MaskPainterWidget.tsx';
import type { WidgetProps } from './widget-props.ts';

interface CustomWidget {
  component: ComponentType<WidgetProps<JsonSpec>>;
  /** Sibling params drawn inside this widget instead of in their own rows. */
  gathers: readonly string[];
}

export const CUSTOM_WIDGETS: Readonly<Record<string, CustomWidget>> = {
  'camera-keyframes': { component: CameraPathWidget, gathers: CAMERA_PATH_PARAMS },
  'mask-keyframes': { component: MaskPainterWidget, gathers: MASK_PAINTER_PARAMS },
};

/** The params a node body draws, in catalog order, with a gathering widget placed where its first param was. */
export function paramLayout(entry: CatalogEntry): string[] {
  const names = Object.keys(entry.params);
  const gatheredBy = new Map<string, string>();
  for (const name of names) {
    const spec = readParamSpec(entry.params[name]!);
    if (spec.kind !== 'json') continue;
    for (const sibling of CUSTOM_WIDGETS[spec.widget]?.gathers ?? []) if (sibling in entry.params) gatheredBy.set(sibling, name);
  }
  const layout: string[] = [];
  for (const name of names) {
    const owner = gatheredBy.get(name) ?? name;
    if (!layout.includes(owner)) layout.push(owner);
  }
  return layout;
}
