import { useEffect, useMemo, useRef, useState } from 'react';
import { sketchPath, type CameraPose, type CameraSettings } from './camera-sketch.ts';

const ASPECT = 9 / 16;
const CYCLE_MS = 2600;
const HOLD_MS = 500;

/**
 * A small drawing of the move: the picture, and the camera's view travelling
 * over it. It animates while hovered, and plays once after the move changes;
 * otherwise it rests on the final view, so a graph full of camera nodes costs
 * no frames.
 */
export function CameraDiagram({ settings, label }: { settings: CameraSettings; label: string }) {
  const path = useMemo(() => sketchPath(settings), [settings]);
  const view = useRef<SVGGElement>(null);
  const [hovered, setHovered] = useState(false);
  const [playingOnce, setPlayingOnce] = useState(false);
  const mountedPath = useRef(path);

  useEffect(() => {
    if (path === mountedPath.current) return;
    setPlayingOnce(true);
    const timer = setTimeout(() => setPlayingOnce(false), CYCLE_MS + HOLD_MS);
    return () => clearTimeout(timer);
  }, [path]);

  const animating = hovered || playingOnce;
  useEffect(() => {
    const element = view.current;
    if (!element) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (still || !animating) {
      element.setAttribute('transform', poseTransform(path.at(-1)!));
      return;
    }
    let frame = 0;
    const start = performance.now();
    const tick = (now: number) => {
      // A frame's timestamp can precede `start`, so keep the phase positive.
      const t = (((now - start) % (CYCLE_MS + HOLD_MS)) + CYCLE_MS + HOLD_MS) % (CYCLE_MS + HOLD_MS);
      const index = Math.min(path.length - 1, Math.floor((t / CYCLE_MS) * path.length));
      element.setAttribute('transform', poseTransform(path[index]!));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [path, animating]);

  const trail = path.map((pose) => `${(2 * pose.x).toFixed(3)},${(2 * pose.y * ASPECT).toFixed(3)}`).join(' ');
  const first = path[0]!;
  return (
    <svg
      className="rg-camera-diagram"
      viewBox="-1.3 -0.78 2.6 1.56"
      role="img"
      aria-label={label}
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
    >
      <g className="rg-camera-picture">
        <rect x={-1} y={-ASPECT} width={2} height={2 * ASPECT} rx={0.02} />
        <path d="M-1 0.18 L-0.55 -0.12 L-0.25 0.08 L0.2 -0.26 L0.6 0.05 L1 -0.1" />
        <path d="M-1 0.18 H1" className="rg-camera-horizon" />
        <circle cx={0.55} cy={-0.3} r={0.09} />
        <path d="M-0.333 -0.5625 V0.5625 M0.333 -0.5625 V0.5625 M-1 -0.1875 H1 M-1 0.1875 H1" className="rg-camera-thirds" />
      </g>
      <polyline className="rg-camera-trail" points={trail} />
      <g transform={poseTransform(first)} className="rg-camera-start">
        <rect x={-1} y={-ASPECT} width={2} height={2 * ASPECT} />
      </g>
      <g ref={view} transform={poseTransform(first)} className="rg-camera-view">
        <rect x={-1} y={-ASPECT} width={2} height={2 * ASPECT} />
        <path d="M-0.12 0 H0.12 M0 -0.12 V0.12" />
      </g>
    </svg>
  );
}

/** The view's rectangle is the picture's, scaled by 1/zoom, rolled, and moved to the pose's centre. */
function poseTransform(pose: CameraPose): string {
  const scale = 1 / pose.zoom;
  return `translate(${2 * pose.x} ${2 * pose.y * ASPECT}) rotate(${pose.roll}) scale(${scale})`;
}
