import type { BoolSpec } from '../catalog/catalog-types.ts';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

export function BoolWidget({ name, spec, value, label, onChange }: WidgetProps<BoolSpec>) {
  return (
    <ParamRow name={name} description={spec.description}>
      <input type="checkbox" role="switch" aria-label={label} className="nodrag rg-switch" checked={value === true} onChange={(event) => onChange(event.target.checked)} />
    </ParamRow>
  );
}
