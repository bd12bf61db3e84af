/** Handle and wire colours per port type: calm, and apart enough to tell at a glance. */
export const PORT_COLORS: Readonly<Record<string, string>> = {
  PROMPT: '#cbb26a',
  CAMERA: '#58b09c',
  IMAGE: '#a988d4',
  MASK: '#b9bec6',
  VIDEO: '#5a9fd8',
  FILE: '#d4727a',
};

const UNKNOWN_PORT_COLOR = '#8b919a';

export function portColor(type: string | undefined): string {
  return (type !== undefined ? PORT_COLORS[type] : undefined) ?? UNKNOWN_PORT_COLOR;
}
