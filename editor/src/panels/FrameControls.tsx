import type { CSSProperties, ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/** A player's transport: previous frame, play/pause, next frame, a frame scrubber and the frame and time shown. */
export function FrameControls({
  frame,
  frameCount,
  seconds,
  playing,
  onSeek,
  onToggle,
  className,
  filled = false,
}: {
  frame: number;
  frameCount: number;
  /** The time shown beside the frame number. */
  seconds: number;
  playing: boolean;
  onSeek: (frame: number) => void;
  onToggle: () => void;
  className?: string;
  /** Colours the scrubber's track up to the frame. */
  filled?: boolean;
}): ReactNode {
  const last = Math.max(0, frameCount - 1);
  return (
    <div className={['rg-player-controls', className].filter(Boolean).join(' ')}>
      <button type="button" className="rg-icon-button" aria-label="previous frame" onClick={() => onSeek(frame - 1)}>
        <Icon name="prev" />
      </button>
      <button type="button" className="rg-icon-button" aria-label={playing ? 'pause' : 'play'} onClick={onToggle}>
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <button type="button" className="rg-icon-button" aria-label="next frame" onClick={() => onSeek(frame + 1)}>
        <Icon name="next" />
      </button>
      <input
        type="range"
        className="rg-slider rg-scrubber"
        aria-label="frame"
        min={0}
        max={last}
        step={1}
        value={frame}
        {...(filled ? { style: { '--fill': `${(frame / Math.max(1, last)) * 100}%` } as CSSProperties } : {})}
        onChange={(event) => onSeek(Number(event.target.value))}
      />
      <span className="rg-player-time" aria-label="current frame">
        {frame + 1}/{frameCount} · {seconds.toFixed(2)}s
      </span>
    </div>
  );
}
