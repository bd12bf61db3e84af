/** A small set of 16 px line icons, drawn in the current text colour. Decorative: controls carry their own names. */
const PATHS = {
  new: 'M4 2h5l3 3v9H4z M9 2v3h3',
  open: 'M2 4h4l1.5 1.5H14V13H2z',
  save: 'M3 2h8l2 2v10H3z M5 2v4h5V2 M5 14v-4h6v4',
  undo: 'M5 4L2 7l3 3 M2 7h7a4 4 0 0 1 0 8H7',
  redo: 'M11 4l3 3-3 3 M14 7H7a4 4 0 0 0 0 8h2',
  add: 'M8 3v10 M3 8h10',
  layout: 'M2 3h4v4H2z M10 9h4v4h-4z M6 5h2v6h2',
  fit: 'M2 6V2h4 M10 2h4v4 M14 10v4h-4 M6 14H2v-4',
  play: 'M5 3l8 5-8 5z',
  target: 'M8 2v3 M8 11v3 M2 8h3 M11 8h3 M8 5.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5',
  stop: 'M4 4h8v8H4z',
  help: 'M6 6a2 2 0 1 1 3 1.7c-.6.4-1 .8-1 1.5V10 M8 12.5v.5',
  dice: 'M3 3h10v10H3z M6 6h.01 M10 10h.01 M10 6h.01 M6 10h.01 M8 8h.01',
  close: 'M4 4l8 8 M12 4l-8 8',
  pause: 'M5 3v10 M11 3v10',
  prev: 'M11 3L6 8l5 5 M4 3v10',
  next: 'M5 3l5 5-5 5 M12 3v10',
  upload: 'M8 11V3 M5 6l3-3 3 3 M3 13h10',
  warning: 'M8 2l6.5 12h-13z M8 6.5v3 M8 11.5v.5',
  trash: 'M3 4h10 M6 4V2.5h4V4 M4.5 4l.7 9.5h5.6l.7-9.5',
  download: 'M8 3v8 M5 8l3 3 3-3 M3 13h10',
  panel: 'M2 3h12v10H2z M10 3v10',
  examples: 'M3 2h7l3 3v9H3z M5.5 8.5l4-2.5v5z',
  models: 'M8 2l5.5 3v6L8 14l-5.5-3V5z M2.5 5L8 8l5.5-3 M8 8v6',
  queue: 'M3 4h10 M3 8h10 M3 12h6 M12 11v3 M10.5 12.5h3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14 }: { name: IconName; size?: number }) {
  return (
    <svg className="rg-icon" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
