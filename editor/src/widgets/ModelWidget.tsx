import { formatBytes } from '@reelgraph/engine/format-bytes';
import type { ModelSpec } from '../catalog/catalog-types.ts';
import { useConnection } from '../app/editor-context.ts';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

/** The models installed for the param's task (each option's tooltip: what it is, its size, its licence), with the device they run on. */
export function ModelWidget({ name, spec, value, label, onChange }: WidgetProps<ModelSpec>) {
  const { welcome } = useConnection();
  const models = (welcome?.models ?? []).filter((model) => spec.task === undefined || model.tasks.includes(spec.task));
  const current = typeof value === 'string' ? value : spec.default;
  const known = models.some((model) => model.id === current);
  return (
    <ParamRow name={name} description={spec.description}>
      <select aria-label={label} className="nodrag rg-input rg-select" value={current} onChange={(event) => onChange(event.target.value)}>
        {!known && <option value={current}>{models.length === 0 || current === '' ? current || 'choose a model' : `${current} (not installed)`}</option>}
        {models.map((model) => (
          <option key={model.id} value={model.id} title={`${model.description}\nSize: ${model.builtIn ? 'built in' : formatBytes(model.bytes)}\nLicence: ${model.licence}`}>
            {model.title}
          </option>
        ))}
      </select>
      <span className="rg-device-tag" title={welcome?.device.reasons.join('\n') || undefined} aria-label={`runs on ${welcome?.device.name ?? 'unknown device'}`}>
        {welcome?.device.name ?? '…'}
      </span>
    </ParamRow>
  );
}
