import type { NumberSpec } from '../catalog/catalog-types.ts';
import type { CSSProperties } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { NumberField } from './NumberField.tsx';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

/** Ranges wider than this get no slider: a pixel would jump too far (a start time of up to a day). */
const MAX_SLIDER_STEPS = 5000;

export function NumberWidget({ name, spec, value, label, onChange }: WidgetProps<NumberSpec>) {
  const { document } = useEditor();
  const number = typeof value === 'number' ? value : spec.default;
  const integer = spec.kind !== 'number';
  const step = spec.step ?? (integer ? 1 : (spec.max - spec.min) / 100);
  const slider = (spec.max - spec.min) / step <= MAX_SLIDER_STEPS;
  const fill = Math.min(100, Math.max(0, ((number - spec.min) / (spec.max - spec.min)) * 100));
  return (
    <ParamRow name={name} description={spec.description}>
      {slider && (
        <input
          type="range"
          aria-label={`${label} slider`}
          className="nodrag rg-slider"
          style={{ '--fill': `${fill}%` } as CSSProperties}
          min={spec.min}
          max={spec.max}
          step={step}
          value={number}
          // A drag is one undo step, however long it takes.
          onPointerDown={() => document.beginTransaction()}
          onPointerUp={() => document.endTransaction()}
          onChange={(event) => onChange(Number(event.target.value))}
        />
      )}
      <NumberField value={number} label={label} step={spec.step} min={spec.min} max={spec.max} integer={integer} onCommit={onChange} />
      {spec.unit && <span className="rg-unit">{spec.unit}</span>}
    </ParamRow>
  );
}
