import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent, type RefObject } from 'react';
import { useCatalog, useDocument, useEditing, useEditor, useIssues } from '../app/editor-context.ts';
import type { PipelineIssue } from '../document/pipeline-types.ts';
import { nodeTypes } from '../nodes/node-types.ts';
import type { PaletteRequest } from '../palette/NodePalette.tsx';
import type { PendingWire } from '../palette/palette-search.ts';
import type { WireRequest } from './connection-check.ts';
import { issuesByNode, syncFlowNodes, toFlowEdges, type FlowEdge, type FlowNode } from './flow-mapping.ts';
import { CanvasDetailContext, NodeSizes, type CanvasDetail } from './canvas-detail.ts';
import { useCanvasMenu } from '../menus/use-canvas-menu.tsx';
import type { Commands } from '../app/use-commands.ts';
import { categoryColor } from './category-colors.ts';
import { measuredSizes } from '../layout/elk-graph.ts';
import { anyOverlap } from '../layout/overlap.ts';
import { isAnnotationNode, syncAnnotationNodes, type AnnotationFlowNode } from '../annotations/annotation-flow.ts';
import { annotationsOf } from '../annotations/read-annotations.ts';
import { useGroupDrag } from '../annotations/use-group-drag.ts';

/** Pipeline nodes, and the notes and groups drawn under them. */
type CanvasNode = FlowNode | AnnotationFlowNode;
const isPipelineNode = (node: CanvasNode): node is FlowNode => node.type === 'pipeline';

const FIT = { padding: 0.12, duration: 250, maxZoom: 1 } as const;
/** How long an opened pipeline may take to render before it is fitted as it is. */
const MAX_SETTLE_FRAMES = 60;
/**
 * Below this zoom a node's text and widgets are too small to read, so nodes
 * show only their title, large, on their category's colour (LiteGraph, under
 * ComfyUI, draws a "low quality" graph the same way). Painting them is what
 * made panning a large graph slow.
 */
const LOW_DETAIL_ZOOM = 0.4;

/**
 * The canvas: React Flow over the document. Flow nodes keep what only the
 * canvas knows (selection, size, a drag in progress); every change to the
 * pipeline goes through the controller, so undo sees it.
 */
/** Problems name the pipeline's nodes (and uses), not a definition's: none show on an open definition's nodes. */
const NO_GROUPED_ISSUES: ReadonlyMap<string, readonly PipelineIssue[]> = new Map();

export function PipelineCanvas({
  onOpenPalette,
  pastePoint,
  commands,
}: {
  onOpenPalette: (request: PaletteRequest) => void;
  pastePoint: RefObject<(() => { x: number; y: number } | undefined) | null>;
  /** The toolbar's and keyboard's commands, which the canvas menu's items for the whole canvas run too. */
  commands: Commands;
}) {
  const controller = useEditor();
  const doc = useDocument();
  const catalog = useCatalog();
  const issues = useIssues();
  const flow = useReactFlow<CanvasNode, FlowEdge>();
  // A boolean selector: the canvas renders again only when the zoom crosses the threshold.
  const lowDetail = useStore((state) => state.transform[2] < LOW_DETAIL_ZOOM);
  const [sizes] = useState(() => new NodeSizes());
  const canvasMenu = useCanvasMenu(onOpenPalette, commands);
  const detail = useMemo<CanvasDetail>(() => ({ lowDetail, sizes }), [lowDetail, sizes]);
  const lowDetailNow = useRef(lowDetail);
  lowDetailNow.current = lowDetail;
  const [nodes, setNodes] = useState<CanvasNode[]>([]);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [fileOver, setFileOver] = useState(false);
  const pendingSelection = useRef<ReadonlySet<string> | undefined>(undefined);
  const pointer = useRef<{ x: number; y: number } | undefined>(undefined);
  const previousIssues = useRef<ReadonlyMap<string, readonly PipelineIssue[]>>(new Map());

  const grouped = useMemo(() => (previousIssues.current = issuesByNode(issues, previousIssues.current)), [issues]);
  // Opening or closing a definition shows other nodes, which may share ids with those shown: start afresh.
  const editing = useEditing();
  const shownScope = useRef(editing);

  useLayoutEffect(() => {
    const select = pendingSelection.current;
    pendingSelection.current = undefined;
    const fresh = shownScope.current !== editing;
    shownScope.current = editing;
    setNodes((shown) => {
      const previous = fresh ? [] : shown;
      return [
        ...syncAnnotationNodes(previous, annotationsOf(doc)),
        ...syncFlowNodes(previous.filter(isPipelineNode), doc, catalog, { issues: editing === undefined ? grouped : NO_GROUPED_ISSUES, ...(select ? { select } : {}) }),
      ];
    });
  }, [doc, catalog, grouped, editing]);

  const edges = useMemo(() => toFlowEdges(doc, catalog, selectedEdges), [doc, catalog, selectedEdges]);

  useEffect(() => {
    const selected = nodes.filter((node) => node.selected);
    controller.selection.set(
      selected.filter(isPipelineNode).map((node) => node.id),
      edges.filter((edge) => edge.selected).map((edge) => edge.id),
      selected.filter(isAnnotationNode).map((node) => node.id),
    );
  }, [controller, nodes, edges]);

  /** Once the opened pipeline's nodes have their real sizes: lay them out if they overlap, else just fit them in view. */
  const tidyWhenMeasured = useCallback(() => {
    let frames = 0;
    const settle = () => {
      const ids = controller.document.getSnapshot().nodes.map((node) => node.id);
      // Fitting an empty canvas would be queued by React Flow and yank the first node added into the centre.
      if (ids.length === 0) return;
      const shown = flow.getNodes().filter(isPipelineNode);
      const ready = shown.length === ids.length && shown.every((node, index) => node.id === ids[index] && node.measured?.width);
      if (!ready && frames < MAX_SETTLE_FRAMES) {
        frames += 1;
        requestAnimationFrame(settle);
        return;
      }
      const boxes = shown.map((node) => ({ ...node.position, width: node.measured?.width ?? 0, height: node.measured?.height ?? 0 }));
      if (anyOverlap(boxes)) void controller.layout(measuredSizes(shown), { afterOpen: true });
      else void flow.fitView(FIT);
    };
    requestAnimationFrame(settle);
  }, [controller, flow]);

  useEffect(
    () =>
      controller.onView((request) => {
        if (request.type === 'fit' && !request.tidy) requestAnimationFrame(() => void flow.fitView(FIT));
        if (request.type === 'fit' && request.tidy) tidyWhenMeasured();
        if (request.type === 'select') {
          const ids = new Set(request.ids);
          pendingSelection.current = ids;
          setNodes((previous) => previous.map((node) => (node.selected === ids.has(node.id) ? node : { ...node, selected: ids.has(node.id) })));
          setSelectedEdges(new Set());
        }
        if (request.type === 'focus') {
          const node = flow.getNode(request.nodeId);
          if (!node) return;
          const width = node.measured?.width ?? 260;
          const height = node.measured?.height ?? 200;
          void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
          setNodes((previous) => previous.map((candidate) => ({ ...candidate, selected: candidate.id === request.nodeId })));
        }
      }),
    [controller, flow, tidyWhenMeasured],
  );

  useEffect(() => {
    pastePoint.current = () => (pointer.current ? flow.screenToFlowPosition(pointer.current) : undefined);
  }, [flow, pastePoint]);

  // New nodes look for free space among the nodes as drawn.
  useEffect(() => {
    controller.measuredSizes = () => measuredSizes(flow.getNodes());
  }, [controller, flow]);

  const groupDrag = useGroupDrag(flow.getNodes);
  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    // Removing and adding go through the document; the canvas applies only its own state.
    const own = changes.filter((change) => change.type === 'position' || change.type === 'dimensions' || change.type === 'select');
    const local = [...own, ...groupDrag.follow(own)];
    if (local.length === 0) return;
    // Sizes of nodes drawn in full, for their light tiles when zoomed far out.
    if (!lowDetailNow.current && local.some((change) => change.type === 'dimensions')) {
      const types = new Map(controller.document.getSnapshot().nodes.map((node) => [node.id, node.type]));
      for (const change of local) {
        const type = types.get(change.id);
        if (change.type === 'dimensions' && change.dimensions && type !== undefined) sizes.remember(change.id, type, change.dimensions);
      }
    }
    setNodes((previous) => applyNodeChanges(local, previous));
  }, [controller, sizes, groupDrag]);

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    const selections = changes.filter((change) => change.type === 'select');
    if (selections.length === 0) return;
    setSelectedEdges((previous) => {
      const next = new Set(previous);
      for (const change of selections) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next;
    });
  }, []);

  const commitPositions = useCallback((moved: CanvasNode[]) => controller.moveNodes(groupDrag.drop(moved)), [controller, groupDrag]);

  const isValidConnection = useCallback(
    (connection: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) =>
      controller.connectionProblem(connection) === undefined,
    [controller],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (event, state: FinalConnectionState) => {
      if (!state.fromHandle || !state.fromNode) return;
      const fromOutput = state.fromHandle.type === 'source';
      if (state.toHandle) {
        if (state.isValid !== false) return;
        const wire: WireRequest = fromOutput
          ? { source: state.fromHandle.nodeId, sourceHandle: state.fromHandle.id, target: state.toHandle.nodeId, targetHandle: state.toHandle.id }
          : { source: state.toHandle.nodeId, sourceHandle: state.toHandle.id, target: state.fromHandle.nodeId, targetHandle: state.fromHandle.id };
        const reason = controller.connectionProblem(wire);
        if (reason) controller.notices.notify(`Not connected: ${reason}`, 'error');
        return;
      }
      if (state.toNode) return;
      const port = state.fromHandle.id ?? '';
      const entry = catalog.get(controller.document.getSnapshot().nodes.find((node) => node.id === state.fromHandle!.nodeId)?.type ?? '');
      const type = fromOutput ? entry?.outputs[port]?.type : entry?.inputs[port]?.type;
      if (!type) return;
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const wire: PendingWire = { nodeId: state.fromHandle.nodeId, port, type, from: fromOutput ? 'output' : 'input' };
      const flowPoint = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      onOpenPalette({
        screen: { x: point.clientX, y: point.clientY },
        // A node fed by the wire goes to the right of the drop; one feeding it, to the left.
        flow: fromOutput ? { x: flowPoint.x, y: flowPoint.y - 20 } : { x: flowPoint.x - 260, y: flowPoint.y - 20 },
        wire,
      });
    },
    [catalog, controller, flow, onOpenPalette],
  );

  const onDoubleClick = (event: ReactMouseEvent) => {
    if (!(event.target instanceof Element) || !event.target.classList.contains('react-flow__pane')) return;
    onOpenPalette({ screen: { x: event.clientX, y: event.clientY }, flow: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
  };

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setFileOver(true);
  };
  const onDrop = (event: DragEvent) => {
    setFileOver(false);
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    for (const file of event.dataTransfer.files) void controller.openFile(file, at);
  };

  return (
    <div
      className={['rg-canvas', fileOver && 'rg-file-over', lowDetail && 'rg-low-detail'].filter(Boolean).join(' ')}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFileOver(false);
      }}
      onDrop={onDrop}
      onPointerMove={(event) => (pointer.current = { x: event.clientX, y: event.clientY })}
      onPointerLeave={() => (pointer.current = undefined)}
    >
      <CanvasDetailContext.Provider value={detail}>
        <ReactFlow<CanvasNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={(_event, _node, dragged) => groupDrag.start(dragged)}
          onSelectionDragStart={(_event, dragged) => groupDrag.start(dragged)}
          onNodeDragStop={(_event, _node, moved) => commitPositions(moved)}
          onSelectionDragStop={(_event, moved) => commitPositions(moved)}
          onConnect={(connection) => controller.connect(connection)}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onDoubleClick={onDoubleClick}
          onNodeContextMenu={canvasMenu.onNodeContextMenu}
          onEdgeContextMenu={canvasMenu.onEdgeContextMenu}
          onPaneContextMenu={canvasMenu.onPaneContextMenu}
          zoomOnDoubleClick={false}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          colorMode="dark"
          minZoom={0.1}
          maxZoom={2.5}
          fitView
          fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
          proOptions={{ hideAttribution: true }}
          defaultEdgeOptions={{ type: 'default', interactionWidth: 14 }}
          aria-label="pipeline canvas"
        >
          {/* Zoomed far out the dots are specks a fraction of a pixel wide, yet repainting them over the whole canvas is a large part of each pan frame. */}
          {!lowDetail && <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#3a3e45" />}
          <MiniMap
            pannable
            zoomable
            ariaLabel="minimap"
            nodeColor={(node) => (node.type === 'pipeline' ? categoryColor((node as FlowNode).data.entry?.category) : 'rgba(141, 147, 156, 0.18)')}
            nodeStrokeWidth={0}
            maskColor="rgba(15, 16, 19, 0.6)"
            bgColor="#1b1d21"
            style={{ width: 168, height: 112 }}
          />
          <Controls showInteractive={false} showFitView={false} position="bottom-left" />
        </ReactFlow>
      </CanvasDetailContext.Provider>
      {doc.nodes.length === 0 && (
        <div className="rg-empty-hint" aria-hidden="true">
          Double-click the canvas or press Shift+A to add a node — or drop a .reel.json file here.
        </div>
      )}
      {fileOver && <div className="rg-drop-hint">Drop a pipeline, an exported video, or a picture</div>}
      {canvasMenu.menu}
    </div>
  );
}
