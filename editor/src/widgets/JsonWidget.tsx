import { useEffect, useState } from 'react';
import type { JsonSpec } from '../catalog/catalog-types.ts';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

/** Structured params without a custom widget: edited as JSON, committed whenever the text parses. */
export function JsonWidget({ name, spec, value, label, onChange }: WidgetProps<JsonSpec>) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText((current) => (safeParse(current) === JSON.stringify(value ?? null) ? current : JSON.stringify(value ?? null)));
  }, [value]);
  return (
    <ParamRow name={name} description={spec.description} stacked>
      <textarea
        aria-label={label}
        aria-invalid={invalid}
        className="nodrag nowheel rg-input rg-textarea rg-mono"
        rows={2}
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          try {
            onChange(JSON.parse(event.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
      />
    </ParamRow>
  );
}

/** The text's value re-serialised, to tell whether it already shows `value`. */
function safeParse(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return undefined;
  }
}
