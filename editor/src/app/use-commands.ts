import { useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { measuredSizes } from '../layout/elk-graph.ts';
import type { FlowEdge, FlowNode } from '../graph/flow-mapping.ts';
import type { PaletteRequest } from '../palette/NodePalette.tsx';
import { addNoteAt, groupNodes, ungroup } from '../annotations/annotation-commands.ts';
import type { ComparedVideo } from '../compare/comparable-outputs.ts';
import { selectedPair } from '../compare/selected-pair.ts';
import type { CommandName } from './keyboard-shortcuts.ts';
import { useEditor } from './editor-context.ts';

export type Commands = Record<CommandName, () => void>;

/** Every command the toolbar, the keyboard and the menus share, bound to the canvas and the controller. */
export function useCommands(ui: {
  openPalette: (request: PaletteRequest) => void;
  toggleHelp: () => void;
  openFile: () => void;
  openCompare: (a: ComparedVideo, b: ComparedVideo) => void;
  openMakeReusable: (ids: readonly string[]) => void;
}): Commands {
  const controller = useEditor();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  return useMemo(() => {
    const selectedNodes = () => controller.selection.getSnapshot().nodes;
    return {
      run: () => controller.run(),
      runToHere: () => {
        const [only] = selectedNodes();
        if (only !== undefined && selectedNodes().length === 1) controller.runToHere(only);
        else controller.notices.notify('Select one node to run up to it.');
      },
      cancel: () => controller.cancel(),
      undo: () => void controller.document.undo(),
      redo: () => void controller.document.redo(),
      addNode: () => {
        const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
        const screen = pane ? { x: pane.left + pane.width / 2 - 150, y: pane.top + 60 } : { x: 200, y: 120 };
        const flowPoint = flow.screenToFlowPosition({ x: screen.x + 150, y: (pane?.top ?? 0) + (pane?.height ?? 400) / 2 });
        ui.openPalette({ screen, flow: flowPoint });
      },
      delete: () => {
        const { nodes, edges, annotations } = controller.selection.getSnapshot();
        controller.remove(nodes, edges, annotations);
      },
      duplicate: () => controller.duplicate(selectedNodes()),
      selectAll: () => controller.select(controller.document.getSnapshot().nodes.map((node) => node.id)),
      layout: () => void controller.layout(measuredSizes(flow.getNodes())),
      fitView: () => void flow.fitView({ padding: 0.12, duration: 250, maxZoom: 1 }),
      save: () => controller.save(),
      open: ui.openFile,
      help: ui.toggleHelp,
      addNote: () => {
        const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
        const centre = flow.screenToFlowPosition(pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 });
        addNoteAt(controller, { x: centre.x - 110, y: centre.y - 70 });
      },
      group: () => groupNodes(controller, selectedNodes(), measuredSizes(flow.getNodes())),
      ungroup: () => ungroup(controller, controller.selection.getSnapshot().annotations),
      makeReusable: () => {
        const ids = selectedNodes();
        if (ids.length > 0) ui.openMakeReusable(ids);
        else controller.notices.notify('Select the nodes to make reusable first.');
      },
      compare: () => {
        const pair = selectedPair(controller, selectedNodes());
        if (pair.ok) ui.openCompare(pair.a, pair.b);
        else controller.notices.notify(pair.reason);
      },
    };
  }, [controller, flow, ui.openPalette, ui.toggleHelp, ui.openFile, ui.openCompare, ui.openMakeReusable]);
}
