import type { SelectSpec } from '../catalog/catalog-types.ts';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

export function SelectWidget({ name, spec, value, label, onChange }: WidgetProps<SelectSpec>) {
  const current = typeof value === 'string' ? value : spec.default;
  const options = spec.options.includes(current) ? spec.options : [current, ...spec.options];
  return (
    <ParamRow name={name} description={spec.description}>
      <select aria-label={label} className="nodrag rg-input rg-select" value={current} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </ParamRow>
  );
}
