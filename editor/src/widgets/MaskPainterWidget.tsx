import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { JsonSpec } from '../catalog/catalog-types.ts';
import { engineUrl } from '../engine/engine-url.ts';
import { Icon } from '../panels/Icon.tsx';
import { boxFromDrag, maskAt, moveBox, readMaskKeyframes, setMaskKeyframe, SAME_TIME, type MaskBox, type MaskKeyframe } from './mask-shapes.ts';
import { NumberField } from './NumberField.tsx';
import { useUpstreamMedia } from './use-upstream-media.ts';
import type { WidgetProps } from './widget-props.ts';

/** The params this painter draws itself. */
export const MASK_PAINTER_PARAMS = ['shape'] as const;

const DEFAULT_SECONDS = 3;
const MIN_SIZE = 0.01;
const BOX_FIELDS = [
  { key: 'x', label: 'x' },
  { key: 'y', label: 'y' },
  { key: 'width', label: 'w' },
  { key: 'height', label: 'h' },
] as const;

type Gesture = { kind: 'draw'; start: { x: number; y: number }; box: MaskBox } | { kind: 'move'; offset: { x: number; y: number }; box: MaskBox };

/**
 * The mask painter: over a frame of the upstream video, drag in empty space
 * to draw the region, or drag the region to move it. Each gesture sets the
 * keyframe at the current time; between keyframes the region moves.
 */
export function MaskPainterWidget({ nodeId, nodeTitle, entry, params, spec, value, onChange, renderParam }: WidgetProps<JsonSpec>) {
  const keyframes = readMaskKeyframes(value);
  const media = useUpstreamMedia(nodeId);
  const [time, setTime] = useState(0);
  const [gesture, setGesture] = useState<Gesture | undefined>();
  const video = useRef<HTMLVideoElement>(null);
  const stage = useRef<HTMLDivElement>(null);

  const seconds = typeof media?.duration === 'number' ? media.duration : numberParam(params.duration) ?? Math.max(DEFAULT_SECONDS, (keyframes.at(-1)?.time ?? 0) + 1);
  const width = typeof media?.width === 'number' ? media.width : (numberParam(params.width) ?? 16);
  const height = typeof media?.height === 'number' ? media.height : (numberParam(params.height) ?? 9);
  const current = maskAt(keyframes, time);
  const shown = gesture?.box ?? current;
  const ellipse = params.shape !== 'rectangle';
  const url = media?.url ? engineUrl(media.url) : undefined;
  const keyed = keyframes.some((keyframe) => Math.abs(keyframe.time - time) < SAME_TIME);

  useEffect(() => {
    if (video.current) video.current.currentTime = Math.min(time, Math.max(0, seconds - 0.01));
  }, [time, seconds]);

  const point = (event: PointerEvent) => {
    const rect = stage.current!.getBoundingClientRect();
    return { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.height };
  };
  const setAtTime = (box: MaskBox) => onChange(setMaskKeyframe(keyframes, { ...box, time }));

  return (
    <div className="rg-mask" title={spec.description}>
      <div
        ref={stage}
        className="rg-mask-stage nodrag nopan"
        style={{ aspectRatio: `${width} / ${height}` }}
        role="img"
        aria-label={`${nodeTitle}: mask canvas`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const start = point(event);
          if (current && inside(current, start)) setGesture({ kind: 'move', offset: { x: start.x - current.x, y: start.y - current.y }, box: current });
          else setGesture({ kind: 'draw', start, box: boxFromDrag(start, start) });
        }}
        onPointerMove={(event) => {
          if (!gesture) return;
          const at = point(event);
          setGesture(
            gesture.kind === 'draw'
              ? { ...gesture, box: boxFromDrag(gesture.start, at) }
              : { ...gesture, box: moveBox(gesture.box, { x: at.x - gesture.offset.x, y: at.y - gesture.offset.y }) },
          );
        }}
        onPointerUp={() => {
          if (gesture && gesture.box.width > MIN_SIZE && gesture.box.height > MIN_SIZE) setAtTime(gesture.box);
          setGesture(undefined);
        }}
      >
        {url && media?.kind === 'video' && <video ref={video} src={url} muted playsInline preload="auto" />}
        {url && media?.kind === 'image' && <img src={url} alt="" />}
        {!url && <span className="rg-mask-empty">Run the node that feeds this one to paint over its frames.</span>}
        <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
          {shown &&
            (ellipse ? (
              <ellipse cx={shown.x} cy={shown.y} rx={shown.width / 2} ry={shown.height / 2} />
            ) : (
              <rect x={shown.x - shown.width / 2} y={shown.y - shown.height / 2} width={shown.width} height={shown.height} />
            ))}
        </svg>
      </div>
      <div className="rg-mask-tools">
        <input
          type="range"
          className="rg-slider nodrag"
          aria-label={`${nodeTitle}: mask time`}
          min={0}
          max={seconds}
          step={0.05}
          value={Math.min(time, seconds)}
          onChange={(event) => setTime(Number(event.target.value))}
        />
        <span className="rg-unit rg-mask-time">{time.toFixed(2)} s</span>
        <button
          type="button"
          className="nodrag rg-button rg-button-small"
          aria-label={`${nodeTitle}: add mask keyframe`}
          aria-pressed={keyed}
          title={keyed ? 'A keyframe is set at this time' : 'Set a keyframe here from the region as it is now'}
          disabled={!current}
          onClick={() => current && setAtTime(current)}
        >
          ◆ Key
        </button>
      </div>
      {current && (
        <div className="rg-mask-box">
          {BOX_FIELDS.map((field) => (
            <label key={field.key} className="rg-mask-field">
              <span aria-hidden="true">{field.label}</span>
              <NumberField
                className="nodrag rg-input rg-number rg-cell"
                label={`${nodeTitle}: mask ${field.key}`}
                value={round(current[field.key])}
                step={0.01}
                onCommit={(next) => setAtTime({ ...current, [field.key]: next })}
              />
            </label>
          ))}
        </div>
      )}
      <div className="rg-mask-keys" role="list" aria-label={`${nodeTitle}: mask keyframes`}>
        {keyframes.map((keyframe) => (
          <KeyframeChip
            key={keyframe.time}
            keyframe={keyframe}
            nodeTitle={nodeTitle}
            active={Math.abs(keyframe.time - time) < SAME_TIME}
            removable={keyframes.length > 1}
            onGo={() => setTime(keyframe.time)}
            onRemove={() => onChange(keyframes.filter((k) => k !== keyframe))}
          />
        ))}
      </div>
      {MASK_PAINTER_PARAMS.filter((name) => name in entry.params).map((name) => renderParam(name))}
    </div>
  );
}

function KeyframeChip({ keyframe, nodeTitle, active, removable, onGo, onRemove }: {
  keyframe: MaskKeyframe;
  nodeTitle: string;
  active: boolean;
  removable: boolean;
  onGo: () => void;
  onRemove: () => void;
}) {
  return (
    <span role="listitem" className={active ? 'rg-chip rg-chip-active' : 'rg-chip'}>
      <button type="button" className="nodrag rg-chip-label" aria-label={`${nodeTitle}: go to mask keyframe at ${keyframe.time}s`} onClick={onGo}>
        ◆ {keyframe.time}s
      </button>
      {removable && (
        <button type="button" className="nodrag rg-icon-button" aria-label={`${nodeTitle}: remove mask keyframe at ${keyframe.time}s`} onClick={onRemove}>
          <Icon name="close" size={10} />
        </button>
      )}
    </span>
  );
}

function inside(box: MaskBox, point: { x: number; y: number }): boolean {
  return Math.abs(point.x - box.x) <= box.width / 2 && Math.abs(point.y - box.y) <= box.height / 2;
}

function numberParam(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
