import type { TextSpec } from '../catalog/catalog-types.ts';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

/** Single-line input, or a growing text area for prompts. Each keystroke edits; a second of typing is one undo step. */
export function TextWidget({ name, spec, value, label, onChange }: WidgetProps<TextSpec>) {
  const text = typeof value === 'string' ? value : '';
  const common = {
    'aria-label': label,
    value: text,
    maxLength: spec.maxLength,
    placeholder: spec.placeholder,
    spellCheck: spec.multiline,
    className: 'nodrag rg-input',
  };
  return (
    <ParamRow name={name} description={spec.description} stacked={spec.multiline}>
      {spec.multiline ? (
        <textarea {...common} className="nodrag nowheel rg-input rg-textarea" rows={textRows(text)} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />
      )}
    </ParamRow>
  );
}

/** Rows enough for the text (about 34 characters a row in a node), from one to six. */
export function textRows(text: string): number {
  const rows = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 34)), 0);
  return Math.min(6, Math.max(1, rows));
}
