import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import { ANNOTATION_LIMITS } from './canvas-annotations.ts';
import type { GroupFlowNode } from './annotation-flow.ts';
import { useAnnotationEdits } from './use-annotation-edits.ts';
import './annotations.css';

const renameListeners = new Set<(flowId: string) => void>();

/** Opens the title field of a group (the group menu's Rename). */
export function requestGroupRename(flowId: string): void {
  for (const listener of renameListeners) listener(flowId);
}

/**
 * A titled frame under the nodes it holds. Only its title bar takes the
 * pointer (drag to move the group and what is inside, double-click to
 * rename); its inside lets clicks through to the canvas and the nodes.
 */
export const GroupNode = memo(function GroupNode({ id, data, selected }: NodeProps<GroupFlowNode>) {
  const edits = useAnnotationEdits();
  const { group } = data;
  const [renaming, setRenaming] = useState(false);
  // Enter or Escape ends the edit; the blur that follows as the field goes must not rename again (or undo Escape).
  const ended = useRef(false);
  useEffect(() => {
    const listener = (flowId: string) => {
      if (flowId !== id) return;
      ended.current = false;
      setRenaming(true);
    };
    renameListeners.add(listener);
    return () => void renameListeners.delete(listener);
  }, [id]);

  // Focused in an effect rather than by autoFocus: a closing menu gives the focus back in its own effect cleanup, which runs first.
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!renaming) return;
    field.current?.focus();
    field.current?.select();
  }, [renaming]);

  const finish = (title: string | undefined) => {
    if (ended.current) return;
    ended.current = true;
    setRenaming(false);
    if (title !== undefined) edits.rename(group.id, title);
  };
  const startRenaming = () => {
    ended.current = false;
    setRenaming(true);
  };

  return (
    <>
      <NodeResizer
        isVisible={selected}
        minWidth={ANNOTATION_LIMITS.minSize * 4}
        minHeight={ANNOTATION_LIMITS.minSize * 2}
        lineClassName="rg-resize-line"
        handleClassName="rg-resize-handle"
        onResizeEnd={(_event, box) => edits.resize(id, box)}
      />
      <div className={selected ? 'rg-group rg-group-selected' : 'rg-group'}>
        <div className="rg-group-title" onDoubleClick={startRenaming} title="Drag to move the group and what is inside; double-click to rename">
          {renaming ? (
            <input
              ref={field}
              className="nodrag rg-input rg-group-title-input"
              aria-label="group title"
              defaultValue={group.title}
              maxLength={ANNOTATION_LIMITS.groupTitle}
              onBlur={(event) => finish(event.target.value)}
              onKeyDown={(event) => {
                event.stopPropagation();
                if (event.key === 'Enter') finish(event.currentTarget.value);
                if (event.key === 'Escape') finish(undefined);
              }}
            />
          ) : (
            <span className="rg-group-name">{group.title}</span>
          )}
        </div>
      </div>
    </>
  );
});
