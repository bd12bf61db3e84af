import { useEffect, type RefObject } from 'react';
import { commandFor, isTextField } from './keyboard-shortcuts.ts';
import type { Commands } from './use-commands.ts';
import { useEditor } from './editor-context.ts';

/**
 * Keyboard shortcuts and the clipboard. Copy puts the selection on the
 * clipboard as pipeline JSON, so it pastes into another tab or a text editor;
 * fields keep their own copy and paste.
 */
export function useGlobalKeys(commands: Commands, pastePoint: RefObject<(() => { x: number; y: number } | undefined) | null>, enabled: boolean): void {
  const controller = useEditor();
  useEffect(() => {
    if (!enabled) return;
    // The paste event does not say whether Shift was held: the key press just before it does (Ctrl+Shift+V keeps incoming wires).
    let withInputs = false;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === 'v' && (event.ctrlKey || event.metaKey)) withInputs = event.shiftKey;
      if (event.defaultPrevented) return;
      const command = commandFor(event, isTextField(event.target));
      if (!command) return;
      event.preventDefault();
      commands[command]();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (isTextField(event.target) || hasTextSelection()) return;
      const text = controller.copyText(controller.selection.getSnapshot().nodes);
      if (!text || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
      if (event.type === 'cut') commands.delete();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTextField(event.target)) return;
      const text = event.clipboardData?.getData('text/plain');
      if (!text) return;
      const at = pastePoint.current?.();
      const keepIncoming = withInputs;
      withInputs = false;
      if (controller.paste(text, at, keepIncoming)) event.preventDefault();
      else controller.notices.notify('The clipboard holds no Reelgraph nodes to paste.');
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('copy', onCopy);
    window.addEventListener('cut', onCopy);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('copy', onCopy);
      window.removeEventListener('cut', onCopy);
      window.removeEventListener('paste', onPaste);
    };
  }, [commands, controller, pastePoint, enabled]);
}

function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().trim() !== '';
}
