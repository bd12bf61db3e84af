import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { ANNOTATION_LIMITS } from './canvas-annotations.ts';
import type { NoteFlowNode } from './annotation-flow.ts';
import { useAnnotationEdits } from './use-annotation-edits.ts';
import './annotations.css';

/**
 * A note on the canvas: drag it by its edge strip, type into it, resize it
 * when selected. The text is held here too, so the caret stays put while the
 * document's copy reaches the canvas a render later.
 */
export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const edits = useAnnotationEdits();
  const { note } = data;
  const [text, setText] = useState(note.text);
  const [seen, setSeen] = useState(note.text);
  // An undo or an opened file changed the text: show theirs.
  if (note.text !== seen) {
    setSeen(note.text);
    setText(note.text);
  }
  return (
    <>
      <NodeResizer
        isVisible={selected}
        minWidth={ANNOTATION_LIMITS.minSize * 3}
        minHeight={ANNOTATION_LIMITS.minSize * 2}
        lineClassName="rg-resize-line"
        handleClassName="rg-resize-handle"
        onResizeEnd={(_event, box) => edits.resize(id, box)}
      />
      <div className="rg-note">
        <div className="rg-note-strip" aria-hidden="true" />
        <textarea
          className="nodrag nowheel nopan rg-note-text"
          aria-label="note text"
          placeholder="Write a note…"
          value={text}
          maxLength={ANNOTATION_LIMITS.noteText}
          spellCheck
          onChange={(event) => {
            const next = event.target.value;
            setText(next);
            setSeen(next);
            edits.setText(note.id, next);
          }}
        />
      </div>
    </>
  );
});
