/**
 * What a context menu offers, by what was right-clicked (or had the focus
 * when the menu key was pressed): a node (or the selection it is part of), a
 * wire, or the empty canvas. Pure, so the choice of items is tested apart
 * from the browser; the canvas binds each item's action.
 */

export type MenuTarget =
  | { kind: 'nodes'; ids: readonly string[] }
  | { kind: 'wire'; id: string }
  | { kind: 'canvas' }
  /** A note or a group, by canvas id (`note:…`, `group:…`). */
  | { kind: 'note'; id: string }
  | { kind: 'group'; id: string };

export type MenuAction =
  | 'runToHere'
  | 'duplicate'
  | 'copy'
  | 'delete'
  | 'deleteWire'
  | 'addNode'
  | 'paste'
  | 'selectAll'
  | 'layout'
  | 'fitView'
  | 'group'
  | 'makeReusable'
  | 'editDefinition'
  | 'expandUse'
  | 'saveToLibrary'
  | 'compare'
  | 'addNote'
  | 'deleteNote'
  | 'renameGroup'
  | 'ungroup';

/** What the menu cannot see from its target alone. */
export interface MenuContext {
  /** For two nodes: why their videos cannot be compared (not both rendered), or undefined when they can. */
  cannotCompare?: string;
  /** The one node is a use of a reusable graph: it can be opened or expanded. */
  isUse?: boolean;
}

export interface MenuItem {
  action: MenuAction;
  label: string;
  /** The keyboard shortcut that does the same, shown beside the label. */
  keys?: string;
  /** Why the item cannot be used now (shown as its tooltip); absent when it can. */
  disabledBecause?: string;
}

export function contextMenuItems(target: MenuTarget, context: MenuContext = {}): MenuItem[] {
  switch (target.kind) {
    case 'nodes': {
      const one = target.ids.length === 1;
      const what = one ? 'node' : `${target.ids.length} nodes`;
      return [
        { action: 'runToHere', label: 'Run to here', ...(one ? {} : { disabledBecause: 'Run to here needs exactly one node.' }) },
        // Two variants side by side is what comparing is for (issue 12), so it is offered for two nodes only.
        ...(target.ids.length === 2
          ? [{ action: 'compare', label: 'Compare outputs', keys: 'Shift+C', ...(context.cannotCompare ? { disabledBecause: context.cannotCompare } : {}) } satisfies MenuItem]
          : []),
        { action: 'duplicate', label: `Duplicate ${what}`, keys: 'Mod+D' },
        { action: 'copy', label: `Copy ${what}`, keys: 'Mod+C' },
        { action: 'group', label: 'Group selection', keys: 'Mod+G' },
        { action: 'makeReusable', label: 'Make reusable…' },
        ...(one && context.isUse
          ? ([
              { action: 'editDefinition', label: 'Edit definition' },
              { action: 'expandUse', label: 'Expand into nodes' },
              { action: 'saveToLibrary', label: 'Save to library' },
            ] satisfies MenuItem[])
          : []),
        { action: 'delete', label: `Delete ${what}`, keys: 'Delete' },
      ];
    }
    case 'note':
      return [{ action: 'deleteNote', label: 'Delete note', keys: 'Delete' }];
    case 'group':
      return [
        { action: 'renameGroup', label: 'Rename group' },
        { action: 'ungroup', label: 'Ungroup (keeps the nodes)', keys: 'Mod+Shift+G' },
      ];
    case 'wire':
      return [{ action: 'deleteWire', label: 'Delete wire', keys: 'Delete' }];
    case 'canvas':
      return [
        { action: 'addNode', label: 'Add node here…', keys: 'Shift+A' },
        { action: 'addNote', label: 'Add note here', keys: 'N' },
        { action: 'paste', label: 'Paste', keys: 'Mod+V' },
        { action: 'selectAll', label: 'Select all', keys: 'Mod+A' },
        { action: 'layout', label: 'Tidy layout' },
        { action: 'fitView', label: 'Fit view' },
      ];
  }
}
