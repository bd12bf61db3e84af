import type { OutputSummary } from '@reelgraph/engine';
import { useEffect, useRef, useState } from 'react';
import { FrameControls } from './FrameControls.tsx';

const FALLBACK_FPS = 24;

/** A larger player for a result: play/pause, step and scrub frame by frame. */
export function MediaPlayer({ url, summary, title }: { url: string; summary: OutputSummary; title: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const fps = typeof summary.fps === 'number' && summary.fps > 0 ? summary.fps : FALLBACK_FPS;
  const [duration, setDuration] = useState(typeof summary.duration === 'number' ? summary.duration : 0);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(true);
  const frameCount = typeof summary.frameCount === 'number' ? summary.frameCount : Math.max(1, Math.round(duration * fps));

  useEffect(() => {
    if (!playing) return;
    let handle = 0;
    const tick = () => {
      if (video.current) setFrame(Math.min(frameCount - 1, Math.floor(video.current.currentTime * fps)));
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [playing, fps, frameCount]);

  const seek = (next: number) => {
    const element = video.current;
    if (!element) return;
    const clamped = Math.max(0, Math.min(frameCount - 1, next));
    element.pause();
    setPlaying(false);
    // The middle of the frame, so rounding never shows its neighbour.
    element.currentTime = (clamped + 0.5) / fps;
    setFrame(clamped);
  };
  const toggle = () => {
    const element = video.current;
    if (!element) return;
    if (element.paused) {
      void element.play();
      setPlaying(true);
    } else {
      element.pause();
      setPlaying(false);
    }
  };

  return (
    <div className="rg-player">
      <video
        ref={video}
        key={url}
        src={url}
        muted
        loop
        autoPlay
        playsInline
        aria-label={`${title} result`}
        onLoadedMetadata={(event) => Number.isFinite(event.currentTarget.duration) && setDuration(event.currentTarget.duration)}
        onClick={toggle}
      />
      <FrameControls frame={frame} frameCount={frameCount} seconds={(frame + 0.5) / fps} playing={playing} onSeek={seek} onToggle={toggle} />
    </div>
  );
}
