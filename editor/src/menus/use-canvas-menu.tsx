/**
 * The canvas's context menus: right-click a node (or a selection), a wire or
 * the empty canvas; or press the menu key or Shift+F10 for the selection (the
 * canvas when nothing is selected). Each item does what its shortcut does.
 */
import { isGraphUse } from '@reelgraph/engine/reusable-graphs';
import { useReactFlow, type Edge, type Node } from '@xyflow/react';
import { useCallback, useEffect, useState, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { isTextField } from '../app/keyboard-shortcuts.ts';
import type { Commands } from '../app/use-commands.ts';
import type { FlowEdge, FlowNode } from '../graph/flow-mapping.ts';
import type { PaletteRequest } from '../palette/NodePalette.tsx';
import { contextMenuItems, type MenuContext, type MenuItem, type MenuTarget } from './context-menu-items.ts';
import { addNoteAt, groupNodes, ungroup } from '../annotations/annotation-commands.ts';
import { measuredSizes } from '../layout/elk-graph.ts';
import { parseAnnotationFlowId } from '../annotations/canvas-annotations.ts';
import { requestGroupRename } from '../annotations/GroupNode.tsx';
import { selectedPair } from '../compare/selected-pair.ts';
import { ContextMenu } from './ContextMenu.tsx';

interface OpenMenu {
  at: { x: number; y: number };
  target: MenuTarget;
}

const LABELS: Record<MenuTarget['kind'], string> = { nodes: 'node menu', wire: 'wire menu', canvas: 'canvas menu', note: 'note menu', group: 'group menu' };

export function useCanvasMenu(onOpenPalette: (request: PaletteRequest) => void, commands: Commands): {
  menu: ReactNode;
  onNodeContextMenu: (event: ReactMouseEvent, node: Node) => void;
  onEdgeContextMenu: (event: ReactMouseEvent, edge: Edge) => void;
  onPaneContextMenu: (event: ReactMouseEvent | MouseEvent) => void;
} {
  const controller = useEditor();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const [open, setOpen] = useState<OpenMenu>();

  const nodeMenu = useCallback(
    (id: string, at: { x: number; y: number }) => {
      // A note or a group has its own menu, for itself alone.
      const annotation = parseAnnotationFlowId(id);
      if (annotation) {
        controller.select([id]);
        setOpen({ at, target: { kind: annotation.kind, id } });
        return;
      }
      // A right-click on a selected node acts on the whole selection; on another node, on that node alone.
      const selected = controller.selection.getSnapshot().nodes;
      const ids = selected.includes(id) ? selected : [id];
      if (!selected.includes(id)) controller.select([id]);
      setOpen({ at, target: { kind: 'nodes', ids } });
    },
    [controller],
  );

  // The menu key and Shift+F10 open the menu from the keyboard, where a right-click would.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) || isTextField(event.target) || event.defaultPrevented) return;
      event.preventDefault();
      const { nodes, annotations } = controller.selection.getSnapshot();
      const first = nodes[0] ?? annotations[0];
      const box = first === undefined ? undefined : document.querySelector(`.react-flow__node[data-id="${CSS.escape(first)}"]`)?.getBoundingClientRect();
      if (first !== undefined && box) nodeMenu(first, { x: box.left + 24, y: box.top + 24 });
      else {
        const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
        setOpen({ at: pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 200, y: 200 }, target: { kind: 'canvas' } });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [controller, nodeMenu]);

  const choose = (item: MenuItem, { at, target }: OpenMenu) => {
    const here = flow.screenToFlowPosition(at);
    const ids = target.kind === 'nodes' ? target.ids : [];
    switch (item.action) {
      case 'runToHere':
        controller.runToHere(ids[0]!);
        return;
      case 'duplicate':
        controller.duplicate(ids);
        return;
      case 'copy': {
        const text = controller.copyText(ids);
        if (text) void navigator.clipboard.writeText(text).catch(() => controller.notices.notify('The browser did not let Reelgraph write to the clipboard; use Ctrl+C.', 'error'));
        return;
      }
      case 'delete':
        controller.remove(ids, []);
        return;
      case 'deleteWire':
        if (target.kind === 'wire') controller.remove([], [target.id]);
        return;
      case 'addNode':
        onOpenPalette({ screen: at, flow: here });
        return;
      case 'paste':
        void navigator.clipboard.readText().then(
          (text) => controller.paste(text, here) || controller.notices.notify('The clipboard holds no Reelgraph nodes to paste.'),
          () => controller.notices.notify('The browser did not let Reelgraph read the clipboard; use Ctrl+V.', 'error'),
        );
        return;
      case 'group':
        groupNodes(controller, ids, measuredSizes(flow.getNodes()));
        return;
      case 'addNote':
        addNoteAt(controller, here);
        return;
      case 'deleteNote':
        if (target.kind === 'note') controller.remove([], [], [target.id]);
        return;
      case 'renameGroup':
        if (target.kind === 'group') requestGroupRename(target.id);
        return;
      case 'ungroup':
        if (target.kind === 'group') ungroup(controller, [target.id]);
        return;
      case 'makeReusable':
        commands.makeReusable();
        return;
      case 'editDefinition':
        controller.editDefinitionOf(ids[0]!);
        return;
      case 'expandUse':
        controller.expandUse(ids[0]!);
        return;
      case 'saveToLibrary':
        controller.saveToLibrary(ids[0]!);
        return;
      case 'selectAll':
      case 'layout':
      case 'fitView':
      case 'compare':
        commands[item.action]();
        return;
    }
  };

  // Only a menu for two nodes offers comparing; it says why when their videos are not both rendered.
  const menuContext = (target: MenuTarget): MenuContext => {
    if (target.kind === 'nodes' && target.ids.length === 1) {
      const type = controller.document.getSnapshot().nodes.find((node) => node.id === target.ids[0])?.type ?? '';
      return isGraphUse(type) ? { isUse: true } : {};
    }
    if (target.kind !== 'nodes' || target.ids.length !== 2) return {};
    const pair = selectedPair(controller, target.ids);
    return pair.ok ? {} : { cannotCompare: pair.reason };
  };

  return {
    menu: open && (
      <ContextMenu at={open.at} label={LABELS[open.target.kind]} items={contextMenuItems(open.target, menuContext(open.target))} onChoose={(item) => choose(item, open)} onClose={() => setOpen(undefined)} />
    ),
    onNodeContextMenu: (event, node) => {
      event.preventDefault();
      nodeMenu(node.id, { x: event.clientX, y: event.clientY });
    },
    onEdgeContextMenu: (event, edge) => {
      event.preventDefault();
      setOpen({ at: { x: event.clientX, y: event.clientY }, target: { kind: 'wire', id: edge.id } });
    },
    onPaneContextMenu: (event) => {
      event.preventDefault();
      setOpen({ at: { x: event.clientX, y: event.clientY }, target: { kind: 'canvas' } });
    },
  };
}
