import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { engineUrl } from '../engine/engine-url.ts';
import { Dialog } from '../panels/Dialog.tsx';
import { FrameControls } from '../panels/FrameControls.tsx';
import type { ComparedVideo } from './comparable-outputs.ts';
import { driftCorrection, durationOf, fpsOf, frameAt, frameTime, heldTime, pastEnd, timelineOf } from './frame-sync.ts';
import { wipeAfterKey, wipeClip, wipeFromPointer } from './wipe-geometry.ts';
import './compare.css';

export type CompareMode = 'side' | 'wipe';

/**
 * Two rendered videos on one timeline (frame-sync.ts): one play/pause, one
 * scrubber, frame steps; side by side, or wiped (A left of a divider, B
 * right). Both videos stay mounted across modes, so switching keeps the frame.
 */
export function ComparePlayer({ a, b, onClose }: { a: ComparedVideo; b: ComparedVideo; onClose: () => void }) {
  const videos = [useRef<HTMLVideoElement>(null), useRef<HTMLVideoElement>(null)] as const;
  const compared = [a, b] as const;
  const fps = [fpsOf(a.summary), fpsOf(b.summary)] as const;
  // The engine's summary gives the length; the file's own metadata stands in where it does not.
  const [loaded, setLoaded] = useState<readonly [number, number]>([0, 0]);
  const durations = [durationOf(a.summary) || loaded[0], durationOf(b.summary) || loaded[1]] as const;
  const timeline = timelineOf({ fps: fps[0], duration: durations[0] }, { fps: fps[1], duration: durations[1] });
  const leader = durations[0] >= durations[1] ? 0 : 1;
  const follower = 1 - leader;

  const [mode, setMode] = useState<CompareMode>('side');
  const [wipe, setWipe] = useState(0.5);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [ready, setReady] = useState(0);
  const stage = useRef<HTMLDivElement>(null);

  const element = (index: number) => videos[index]!.current;
  // The loop below reads the latest lengths and rates without restarting on each render.
  const now = useRef({ timeline, durations, fps, leader, follower });
  now.current = { timeline, durations, fps, leader, follower };
  /** Set at once on play and pause: a frame callback already queued must not restart a video just paused. */
  const running = useRef(false);

  /** Puts both videos on a timeline frame, paused; the shorter one holds its last frame past its end. */
  const seek = (next: number) => {
    running.current = false;
    const clamped = Math.max(0, Math.min(timeline.frameCount - 1, next));
    const time = frameTime(clamped, timeline.fps);
    for (const index of [0, 1]) {
      const video = element(index);
      if (!video) continue;
      video.pause();
      video.playbackRate = 1;
      video.currentTime = heldTime(time, durations[index]!, fps[index]!);
    }
    setPlaying(false);
    setFrame(clamped);
  };

  const play = () => {
    // At the end, play starts again from the first frame.
    const start = frame >= timeline.frameCount - 1 ? 0 : frame;
    if (start !== frame) seek(start);
    const time = frameTime(start, timeline.fps);
    for (const index of [0, 1]) {
      const video = element(index);
      if (video && !pastEnd(time, durations[index]!, fps[index]!)) void video.play().catch(() => undefined);
    }
    running.current = true;
    setPlaying(true);
  };

  const toggle = () => (playing ? seek(frame) : play());

  // Both videos loaded: start playing, as the preview does.
  const started = useRef(false);
  useEffect(() => {
    if (ready < 2 || started.current) return;
    started.current = true;
    play();
  });

  // While playing, the longer video leads and the other follows it (frame-sync.ts); the end loops to the start.
  useEffect(() => {
    if (!playing) return;
    let handle = 0;
    const tick = () => {
      handle = requestAnimationFrame(tick);
      const { timeline, durations, fps, leader, follower } = now.current;
      const lead = element(leader);
      const follow = element(follower);
      if (!lead || !follow || !running.current) return;
      if (lead.ended) {
        for (const video of [lead, follow]) {
          video.currentTime = frameTime(0, timeline.fps);
          void video.play().catch(() => undefined);
        }
        setFrame(0);
        return;
      }
      // The leader stopped (a seek is under way, or the browser paused it): nothing to follow.
      if (lead.paused) return;
      const time = lead.currentTime;
      const followFps = fps[follower]!;
      const followDuration = durations[follower]!;
      if (pastEnd(time, followDuration, followFps)) {
        if (!follow.paused) follow.pause();
        const last = heldTime(time, followDuration, followFps);
        if (Math.abs(follow.currentTime - last) > 0.25 / followFps) follow.currentTime = last;
      } else if (follow.paused) {
        follow.currentTime = time;
        void follow.play().catch(() => undefined);
      } else {
        const correction = driftCorrection(time, follow.currentTime, followFps);
        if (correction.seekTo !== undefined) follow.currentTime = correction.seekTo;
        follow.playbackRate = correction.rate;
      }
      setFrame(frameAt(time, timeline));
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [playing]);

  const dragging = useRef(false);
  const moveWipe = (event: PointerEvent) => {
    const box = stage.current?.getBoundingClientRect();
    if (box) setWipe(wipeFromPointer(event.clientX, box));
  };
  const onStageKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, [role="slider"], button')) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      seek(frame + (event.key === 'ArrowLeft' ? -1 : 1));
    } else if (event.key === ' ') {
      event.preventDefault();
      toggle();
    }
  };

  const time = frameTime(frame, timeline.fps);
  const wipePercent = Math.round(wipe * 100);
  return (
    <Dialog
      title="Compare outputs"
      closeLabel="close compare"
      onClose={onClose}
      className="rg-compare-dialog"
      actions={
        <div className="rg-compare-modes" role="radiogroup" aria-label="compare mode">
          {(
            [
              ['side', 'side by side'],
              ['wipe', 'wipe'],
            ] as const
          ).map(([value, label]) => (
            <button key={value} type="button" role="radio" aria-checked={mode === value} className="rg-button rg-button-small" onClick={() => setMode(value)}>
              {label}
            </button>
          ))}
        </div>
      }
    >
      <div className="rg-compare" onKeyDown={onStageKey}>
        <div
          ref={stage}
          className={mode === 'wipe' ? 'rg-compare-stage rg-compare-wipe' : 'rg-compare-stage rg-compare-side'}
          onPointerDown={(event) => {
            if (mode !== 'wipe' || event.button !== 0) return;
            dragging.current = true;
            event.currentTarget.setPointerCapture(event.pointerId);
            moveWipe(event);
          }}
          onPointerMove={(event) => dragging.current && moveWipe(event)}
          onPointerUp={() => (dragging.current = false)}
          onPointerCancel={() => (dragging.current = false)}
        >
          {compared.map((video, index) => {
            const holding = pastEnd(time, durations[index]!, fps[index]!) && frame > 0 && durations[index]! < durations[1 - index]!;
            return (
              <figure
                key={video.nodeId}
                className={index === 0 ? 'rg-compare-pane rg-compare-a' : 'rg-compare-pane rg-compare-b'}
                style={mode === 'wipe' && index === 1 ? { clipPath: wipeClip(wipe) } : undefined}
              >
                <video
                  ref={videos[index]}
                  src={engineUrl(video.url)}
                  muted
                  playsInline
                  preload="auto"
                  aria-label={`${index === 0 ? 'A' : 'B'}: ${video.title}`}
                  onLoadedMetadata={(event) => {
                    const seconds = event.currentTarget.duration;
                    if (Number.isFinite(seconds)) setLoaded((old) => (index === 0 ? [seconds, old[1]] : [old[0], seconds]));
                  }}
                  onLoadedData={() => setReady((count) => count + 1)}
                  onClick={() => mode === 'side' && toggle()}
                />
                <figcaption className="rg-compare-label">
                  <b>{index === 0 ? 'A' : 'B'}</b> {video.title}
                  {holding && <span className="rg-compare-hold"> · last frame</span>}
                </figcaption>
              </figure>
            );
          })}
          {mode === 'wipe' && (
            <div
              className="rg-compare-divider"
              role="slider"
              tabIndex={0}
              aria-label="wipe divider"
              aria-orientation="horizontal"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={wipePercent}
              aria-valuetext={`${wipePercent}% A, ${100 - wipePercent}% B`}
              style={{ left: `${wipe * 100}%` }}
              onKeyDown={(event) => {
                const next = wipeAfterKey(wipe, event.key, event.shiftKey);
                if (next === undefined) return;
                event.preventDefault();
                event.stopPropagation();
                setWipe(next);
              }}
            >
              <span className="rg-compare-grip" aria-hidden="true" />
            </div>
          )}
        </div>
        <FrameControls className="rg-compare-controls" frame={frame} frameCount={timeline.frameCount} seconds={time} playing={playing} onSeek={seek} onToggle={toggle} filled />
      </div>
    </Dialog>
  );
}
