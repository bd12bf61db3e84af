/** The edits note and group views make, each one undo step (typing into one note for a second merges). */
import { useMemo } from 'react';
import { useEditor } from '../app/editor-context.ts';
import type { Box } from './canvas-annotations.ts';
import { renameGroup, setAnnotationBoxes, setNoteText } from './annotation-operations.ts';

export function useAnnotationEdits() {
  const { document } = useEditor();
  return useMemo(
    () => ({
      setText: (id: string, text: string) => document.apply((doc) => setNoteText(doc, id, text), { label: 'Edit note', mergeKey: `note:${id}` }),
      rename: (id: string, title: string) => document.apply((doc) => renameGroup(doc, id, title), { label: 'Rename group' }),
      resize: (flowId: string, box: Box) => document.apply((doc) => setAnnotationBoxes(doc, new Map([[flowId, box]])), { label: 'Resize' }),
    }),
    [document],
  );
}
