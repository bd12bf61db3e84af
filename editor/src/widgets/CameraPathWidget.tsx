import type { JsonSpec } from '../catalog/catalog-types.ts';
import { Icon } from '../panels/Icon.tsx';
import { readCameraSettings, sketchPath, type CameraKeyframe } from './camera-sketch.ts';
import { CameraDiagram } from './CameraDiagram.tsx';
import { NumberField } from './NumberField.tsx';
import type { WidgetProps } from './widget-props.ts';

/** The params this editor draws itself, above its keyframes. */
export const CAMERA_PATH_PARAMS = ['preset', 'framing', 'intensity', 'easing'] as const;

const FIELDS = [
  { key: 'time', step: 0.1, title: 'seconds' },
  { key: 'zoom', step: 0.05, title: 'zoom (1 = whole picture)' },
  { key: 'x', step: 0.01, title: 'x in frame widths' },
  { key: 'y', step: 0.01, title: 'y in frame heights' },
  { key: 'roll', step: 1, title: 'roll in degrees' },
] as const;

/**
 * The camera path editor: a diagram of the move, the preset and its settings,
 * and keyframes that replace the preset when there are any.
 */
export function CameraPathWidget({ nodeTitle, entry, params, spec, onChange, renderParam }: WidgetProps<JsonSpec>) {
  const settings = readCameraSettings(params);
  const keyframes = settings.keyframes;
  const change = (next: CameraKeyframe[]) => onChange(next);

  const addKeyframe = () => {
    const last = keyframes.at(-1);
    // The first keyframe starts where the preset starts, so switching to keyframes does not jump.
    const next = last ? { ...last, time: Math.round((last.time + 1) * 10) / 10 } : { time: 0, ...round(sketchPath(settings, 2)[0]!) };
    change([...keyframes, next]);
  };

  return (
    <div className="rg-camera" title={spec.description}>
      <CameraDiagram settings={settings} label={`${nodeTitle}: camera move diagram`} />
      <div className={keyframes.length > 0 ? 'rg-camera-preset rg-overridden' : 'rg-camera-preset'}>
        {CAMERA_PATH_PARAMS.filter((name) => name in entry.params).map((name) => renderParam(name))}
      </div>
      <div className="rg-keyframes">
        <div className="rg-keyframes-head">
          <span>keyframes</span>
          {keyframes.length > 0 && <span className="rg-hint">replace the preset</span>}
          <button type="button" className="nodrag rg-button rg-button-small" aria-label={`${nodeTitle}: add keyframe`} onClick={addKeyframe}>
            <Icon name="add" size={12} /> Key
          </button>
        </div>
        {keyframes.length > 0 && (
          <table className="rg-keyframe-table">
            <thead>
              <tr>
                {FIELDS.map((field) => (
                  <th key={field.key} title={field.title} scope="col">
                    {field.key}
                  </th>
                ))}
                <th aria-label="remove" />
              </tr>
            </thead>
            <tbody>
              {keyframes.map((keyframe, index) => (
                <tr key={index}>
                  {FIELDS.map((field) => (
                    <td key={field.key}>
                      <NumberField
                        className="nodrag rg-input rg-number rg-cell"
                        label={`${nodeTitle}: keyframe ${index + 1} ${field.key}`}
                        value={keyframe[field.key]}
                        step={field.step}
                        onCommit={(value) => change(keyframes.map((k, i) => (i === index ? { ...k, [field.key]: value } : k)))}
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="nodrag rg-icon-button"
                      aria-label={`${nodeTitle}: remove keyframe ${index + 1}`}
                      onClick={() => change(keyframes.filter((_, i) => i !== index))}
                    >
                      <Icon name="close" size={12} />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

function round(pose: { zoom: number; x: number; y: number; roll: number }) {
  const r = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  return { zoom: r(pose.zoom, 3), x: r(pose.x, 3), y: r(pose.y, 3), roll: r(pose.roll, 2) };
}
