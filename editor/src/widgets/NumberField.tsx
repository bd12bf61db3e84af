import { useEffect, useState } from 'react';

/**
 * A number input that lets a person type freely ("0.", "-", "") and commits
 * each value that parses; on blur it shows the committed value again.
 */
export function NumberField({
  value,
  label,
  step,
  min,
  max,
  integer,
  onCommit,
  className = 'nodrag rg-input rg-number',
}: {
  value: number;
  label: string;
  step?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
  integer?: boolean;
  onCommit: (value: number) => void;
  className?: string;
}) {
  const [text, setText] = useState(String(value));
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setText(String(value));
  }, [value, editing]);
  return (
    <input
      type="number"
      aria-label={label}
      className={className}
      value={editing ? text : String(value)}
      step={step ?? (integer ? 1 : 'any')}
      min={min}
      max={max}
      onFocus={() => {
        setText(String(value));
        setEditing(true);
      }}
      onBlur={() => setEditing(false)}
      onChange={(event) => {
        setText(event.target.value);
        const parsed = Number(event.target.value);
        if (event.target.value.trim() !== '' && Number.isFinite(parsed)) onCommit(integer ? Math.round(parsed) : parsed);
      }}
    />
  );
}
