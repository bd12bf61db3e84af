import type { NumberSpec } from '../catalog/catalog-types.ts';
import { Icon } from '../panels/Icon.tsx';
import { NumberField } from './NumberField.tsx';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

export function SeedWidget({ name, spec, value, label, nodeTitle, onChange }: WidgetProps<NumberSpec>) {
  const seed = typeof value === 'number' ? value : spec.default;
  return (
    <ParamRow name={name} description={spec.description}>
      <NumberField value={seed} label={label} min={spec.min} max={spec.max} integer onCommit={onChange} />
      <button
        type="button"
        className="nodrag rg-icon-button"
        aria-label={`${nodeTitle}: randomise ${name}`}
        title="Randomise"
        onClick={() => onChange(randomSeed(spec.max))}
      >
        <Icon name="dice" />
      </button>
    </ParamRow>
  );
}

function randomSeed(max: number): number {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  return values[0]! % (max + 1);
}
