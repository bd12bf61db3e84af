/** The keyboard shortcuts: one list drives both the key handler and the help panel. */
export type CommandName =
  /** Menu only: no free key is left that browsers do not take. */
  | 'makeReusable'
  | 'run'
  | 'runToHere'
  | 'cancel'
  | 'undo'
  | 'redo'
  | 'addNode'
  | 'delete'
  | 'duplicate'
  | 'selectAll'
  | 'layout'
  | 'fitView'
  | 'save'
  | 'open'
  | 'help'
  | 'addNote'
  | 'group'
  | 'ungroup'
  | 'compare';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  command: CommandName;
  /** As the help panel shows it; "Mod" reads Ctrl, or ⌘ on a Mac. */
  keys: string;
  description: string;
  /** Also active while typing in a field. */
  inFields?: boolean;
  matches: (event: KeyLike) => boolean;
}

const mod = (event: KeyLike) => event.ctrlKey || event.metaKey;
const plain = (event: KeyLike) => !mod(event) && !event.altKey;
const key = (event: KeyLike, name: string) => event.key.toLowerCase() === name;

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'run', keys: 'Mod+Enter', description: 'Run the pipeline', inFields: true, matches: (e) => mod(e) && !e.shiftKey && e.key === 'Enter' },
  { command: 'runToHere', keys: 'Mod+Shift+Enter', description: 'Run to the selected node', inFields: true, matches: (e) => mod(e) && e.shiftKey && e.key === 'Enter' },
  { command: 'cancel', keys: 'Mod+.', description: 'Cancel the run', inFields: true, matches: (e) => mod(e) && e.key === '.' },
  { command: 'undo', keys: 'Mod+Z', description: 'Undo', inFields: true, matches: (e) => mod(e) && !e.shiftKey && key(e, 'z') },
  { command: 'redo', keys: 'Mod+Shift+Z, Mod+Y', description: 'Redo', inFields: true, matches: (e) => mod(e) && ((e.shiftKey && key(e, 'z')) || (!e.shiftKey && key(e, 'y'))) },
  { command: 'addNode', keys: 'Shift+A, double-click', description: 'Add a node', matches: (e) => plain(e) && e.shiftKey && key(e, 'a') },
  { command: 'delete', keys: 'Delete, Backspace', description: 'Delete the selection', matches: (e) => plain(e) && (e.key === 'Delete' || e.key === 'Backspace') },
  { command: 'duplicate', keys: 'Mod+D', description: 'Duplicate the selection', matches: (e) => mod(e) && !e.shiftKey && key(e, 'd') },
  { command: 'selectAll', keys: 'Mod+A', description: 'Select every node', matches: (e) => mod(e) && !e.shiftKey && key(e, 'a') },
  { command: 'layout', keys: 'L', description: 'Auto-layout', matches: (e) => plain(e) && !e.shiftKey && key(e, 'l') },
  { command: 'fitView', keys: 'F', description: 'Fit the pipeline in view', matches: (e) => plain(e) && !e.shiftKey && key(e, 'f') },
  { command: 'save', keys: 'Mod+S', description: 'Save as a .reel.json file', inFields: true, matches: (e) => mod(e) && !e.shiftKey && key(e, 's') },
  { command: 'open', keys: 'Mod+O', description: 'Open a file', inFields: true, matches: (e) => mod(e) && !e.shiftKey && key(e, 'o') },
  { command: 'help', keys: '?, F1', description: 'Show this help', matches: (e) => (plain(e) && e.key === '?') || e.key === 'F1' },
  { command: 'addNote', keys: 'N', description: 'Add a note', matches: (e) => plain(e) && !e.shiftKey && key(e, 'n') },
  { command: 'group', keys: 'Mod+G', description: 'Group the selected nodes in a titled frame', matches: (e) => mod(e) && !e.shiftKey && key(e, 'g') },
  { command: 'ungroup', keys: 'Mod+Shift+G', description: 'Ungroup: remove the selected group frames, keeping their nodes', matches: (e) => mod(e) && e.shiftKey && key(e, 'g') },
  { command: 'compare', keys: 'Shift+C', description: 'Compare the two selected nodes’ videos', matches: (e) => plain(e) && e.shiftKey && key(e, 'c') },
];

/** Shortcuts handled by the browser's clipboard events, listed for the help panel. */
export const CLIPBOARD_SHORTCUTS = [
  { keys: 'Mod+C', description: 'Copy the selection as pipeline JSON (works across tabs)' },
  { keys: 'Mod+X', description: 'Cut the selection' },
  { keys: 'Mod+V', description: 'Paste nodes (at the pointer), with the wires between them' },
  { keys: 'Mod+Shift+V', description: 'Paste nodes, keeping the wires that came into them from other nodes' },
] as const;

export const MOUSE_GESTURES = [
  { keys: 'Right-click', description: 'A menu for the node, wire or canvas under the pointer (Shift+F10 or the menu key: for the selection)' },
  { keys: 'Drag from a handle', description: 'Draw a wire; drop it in empty space to add a matching node' },
  { keys: 'Drag on the canvas', description: 'Pan; Shift+drag selects an area' },
  { keys: 'Shift+click a node', description: 'Add it to the selection (Ctrl or ⌘+click too)' },
  { keys: 'Wheel', description: 'Zoom' },
  { keys: 'Double-click a title', description: 'Rename the node (or the group)' },
  { keys: 'Drag a group by its title', description: 'Move the group and the nodes and notes inside it' },
  { keys: 'Drop a file', description: 'Open a .reel.json, an exported video (restores its pipeline), or add an image/video' },
] as const;

export function commandFor(event: KeyLike, inField: boolean): CommandName | undefined {
  return SHORTCUTS.find((shortcut) => (!inField || shortcut.inFields) && shortcut.matches(event))?.command;
}

/** "Mod" as this platform writes it. */
export function displayKeys(keys: string, mac: boolean): string {
  return keys.replaceAll('Mod', mac ? '⌘' : 'Ctrl');
}

/** A field that takes typing (and so its own keys): shortcuts leave it alone. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range', 'file'].includes(target.type);
}
