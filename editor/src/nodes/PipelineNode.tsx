import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { isGraphUse } from '@reelgraph/engine/reusable-graphs';
import { useCatalog, useConnection, useEditor, useNodeRun } from '../app/editor-context.ts';
import { readParamSpec, type CatalogEntry } from '../catalog/catalog-types.ts';
import type { PipelineIssue, PipelineNode as DocNode } from '../document/pipeline-types.ts';
import { categoryColor } from '../graph/category-colors.ts';
import { useCanvasDetail } from '../graph/canvas-detail.ts';
import { displayTitle } from '../graph/connection-check.ts';
import type { FlowNode, WiredPorts } from '../graph/flow-mapping.ts';
import { portColor } from '../graph/port-colors.ts';
import type { NodeRunView } from '../run/run-store.ts';
import { ParamWidget } from '../widgets/ParamWidget.tsx';
import { humanize, paramLabel } from '../widgets/widget-props.ts';
import { paramLayout } from '../widgets/widget-registry.ts';
import { NodeGlance } from './NodeGlance.tsx';
import { shownInputs } from './shown-inputs.ts';
import { hasPreview, mediaOutput, NodePreview } from './NodePreview.tsx';
import { StatusBadge } from './StatusBadge.tsx';

/**
 * Every node, drawn from its catalog entry: header (title, status, progress),
 * typed handles, a widget per param, the preview, and its errors. Memoised:
 * it renders again only when its document node, issues or run state change.
 */
function PipelineNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const { node, entry, issues } = data;
  // While a definition is open, this is the state of its first use's inner node (see useNodeRun).
  const run = useNodeRun(id);
  const catalogKnown = useCatalog().size > 0;
  const { lowDetail, sizes } = useCanvasDetail();
  const box = useRef<HTMLDivElement>(null);
  const keyboard = useKeyboardFocus(box, entry !== undefined);
  const title = displayTitle(node, entry);
  if (!entry) return <UnknownNode node={node} selected={selected} ports={data.wiredPorts} catalogKnown={catalogKnown} />;
  const classes = ['rg-node', isGraphUse(node.type) && 'rg-node-use', selected && 'rg-selected', run.state && `rg-state-${run.state}`, run.stale && 'rg-stale', issues.length > 0 && 'rg-has-issues']
    .filter(Boolean)
    .join(' ');
  // Zoomed far out: a light tile of the size the node had in full, its handles where they were (wires stay put), and its result.
  if (lowDetail && !keyboard) {
    const media = (run.state === 'running' && run.preview) || mediaOutput(run.outputs);
    const { width, height } = sizes.size(id, node.type, entry);
    const inputs = shownInputs(entry.inputs, data.wiredPorts?.inputs ?? NO_INPUTS);
    const portRows = Object.keys(entry.outputs).length + inputs.length;
    return (
      <div ref={box} className={`${classes} rg-node-light`} style={{ '--category': categoryColor(entry.category), width, height, gridTemplateRows: lightTileRows(portRows) } as CSSProperties}>
        <NodeGlance title={title} run={run} />
        <LightHandles entry={entry} inputs={inputs} />
        {media && <NodePreview run={run} title={title} reserve={false} />}
      </div>
    );
  }
  return (
    <div ref={box} className={classes} style={{ '--category': categoryColor(entry.category) } as CSSProperties}>
      <NodeGlance title={title} run={run} />
      <NodeHeader node={node} entry={entry} title={title} run={run} />
      <div className="rg-node-body">
        <Ports entry={entry} issues={issues} wired={data.wiredPorts} />
        <Params node={node} entry={entry} title={title} issues={issues} wired={data.wiredPorts} />
        <NodePreview run={run} title={title} reserve={hasPreview(Object.values(entry.outputs).map((port) => port.type))} />
        {run.state === 'error' && run.error && <p className="rg-node-error">{run.error}</p>}
        {issues.length > 0 && (
          <ul className="rg-node-issues" aria-label={`${title}: problems`}>
            {issues.map((issue, index) => (
              <li key={index}>{issue.message}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export const PipelineNode = memo(PipelineNodeView);

/**
 * Whether the node (or something in it) has keyboard focus: zoomed far out, a
 * node reached with the keyboard is drawn in full, so its widgets can be
 * reached too. Only keyboard focus counts (as `:focus-visible` in the styles):
 * a click or a drag keeps the light tile.
 */
function useKeyboardFocus(box: RefObject<HTMLDivElement | null>, drawn: boolean): boolean {
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    // React Flow's node wrapper, which holds the node's tab stop; it outlives the light and full drawings.
    const wrapper = box.current?.parentElement;
    if (!wrapper) return;
    const onFocusIn = () => {
      if (wrapper.matches(':focus-visible, :has(:focus-visible)')) setFocused(true);
    };
    const onFocusOut = (event: FocusEvent) => {
      if (!(event.relatedTarget instanceof Node && wrapper.contains(event.relatedTarget))) setFocused(false);
    };
    wrapper.addEventListener('focusin', onFocusIn);
    wrapper.addEventListener('focusout', onFocusOut);
    return () => {
      wrapper.removeEventListener('focusin', onFocusIn);
      wrapper.removeEventListener('focusout', onFocusOut);
    };
  }, [box, drawn]);
  return focused;
}

function NodeHeader({ node, entry, title, run }: { node: DocNode; entry: CatalogEntry; title: string; run: NodeRunView }) {
  const controller = useEditor();
  const [editing, setEditing] = useState(false);
  const progress = run.state === 'running' ? run.progress : undefined;
  return (
    <header className="rg-node-header" title={entry.description}>
      {editing ? (
        <input
          autoFocus
          className="nodrag rg-input rg-title-input"
          aria-label={`${title}: node title`}
          defaultValue={node.title ?? ''}
          placeholder={entry.title}
          onBlur={(event) => {
            controller.renameNode(node.id, event.target.value);
            setEditing(false);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === 'Escape') event.currentTarget.blur();
          }}
        />
      ) : (
        <span className="rg-node-title" onDoubleClick={() => setEditing(true)}>
          {title}
          {node.title !== undefined && <span className="rg-node-kind">{entry.title}</span>}
        </span>
      )}
      <StatusBadge run={run} />
      {run.state === 'running' && (
        <div
          className="rg-progress"
          role="progressbar"
          aria-label={`${title} progress`}
          aria-valuemin={0}
          aria-valuemax={progress?.total || 1}
          aria-valuenow={progress?.done ?? 0}
        >
          <div
            className={progress && progress.total > 0 ? 'rg-progress-fill' : 'rg-progress-fill rg-progress-busy'}
            style={{ width: progress && progress.total > 0 ? `${(progress.done / progress.total) * 100}%` : undefined }}
          />
        </div>
      )}
    </header>
  );
}

function Ports({ entry, issues, wired }: { entry: CatalogEntry; issues: readonly PipelineIssue[]; wired: WiredPorts | undefined }) {
  const missing = new Set(issues.filter((issue) => issue.port !== undefined).map((issue) => issue.port));
  return (
    <div className="rg-ports">
      {Object.entries(entry.outputs).map(([port, spec]) => (
        <div key={`out-${port}`} className="rg-port rg-port-out" title={spec.description ? `${port} (${spec.type}): ${spec.description}` : `${port} (${spec.type})`}>
          <span className="rg-port-name">{humanize(port)}</span>
          <span className="rg-port-type">{spec.type}</span>
          <Handle
            type="source"
            position={Position.Right}
            id={port}
            className="rg-handle"
            style={{ '--port': portColor(spec.type) } as CSSProperties}
            aria-label={`output ${port}`}
          />
        </div>
      ))}
      {shownInputs(entry.inputs, wired?.inputs ?? NO_INPUTS).map(([port, spec]) => (
        <div
          key={`in-${port}`}
          className={missing.has(port) ? 'rg-port rg-port-in rg-port-problem' : 'rg-port rg-port-in'}
          title={`${port} (${spec.type}${spec.optional ? ', optional' : ''})${spec.description ? `: ${spec.description}` : ''}`}
        >
          <Handle
            type="target"
            position={Position.Left}
            id={port}
            className={spec.optional ? 'rg-handle rg-handle-optional' : 'rg-handle'}
            style={{ '--port': portColor(spec.type) } as CSSProperties}
            aria-label={`input ${port}`}
          />
          <span className="rg-port-name">{humanize(port)}</span>
          {spec.optional && <span className="rg-port-type">optional</span>}
        </div>
      ))}
    </div>
  );
}

/** Where the port rows lie when a node is drawn in full: below the header and the body's top padding, a row per port, outputs first. */
const PORT_ROWS = { top: 26 + 4, row: 20 } as const;

/**
 * The light tile is a grid: a row as tall as the full node's header, then a
 * row per port (their handles sit on the tile's edges, centred on the rows, as
 * the full node's port rows put them, so wires stay put), then the rest.
 */
function lightTileRows(portRows: number): string {
  return `${PORT_ROWS.top}px${portRows > 0 ? ` repeat(${portRows}, ${PORT_ROWS.row}px)` : ''} 1fr`;
}

/**
 * The light tile's handles, grid items in their port's row. Not positioned
 * boxes, as React Flow draws them: each positioned box is one more layer the
 * browser hit-tests on every pointer move and layerizes on every frame, and
 * at 500 nodes those layers were most of a drag frame's time.
 */
function LightHandles({ entry, inputs }: { entry: CatalogEntry; inputs: readonly [string, CatalogEntry['inputs'][string]][] }) {
  // Grid lines count from 1, and the first row is the header's.
  const gridRow = (row: number) => row + 2;
  const outputs = Object.entries(entry.outputs);
  return (
    <>
      {outputs.map(([port, spec], row) => (
        <Handle
          key={`out-${port}`}
          type="source"
          position={Position.Right}
          id={port}
          className="rg-handle rg-light-handle"
          style={{ '--port': portColor(spec.type), gridRow: gridRow(row) } as CSSProperties}
          aria-label={`output ${port}`}
        />
      ))}
      {inputs.map(([port, spec], index) => (
        <Handle
          key={`in-${port}`}
          type="target"
          position={Position.Left}
          id={port}
          className={spec.optional ? 'rg-handle rg-light-handle rg-handle-optional' : 'rg-handle rg-light-handle'}
          style={{ '--port': portColor(spec.type), gridRow: gridRow(outputs.length + index) } as CSSProperties}
          aria-label={`input ${port}`}
        />
      ))}
    </>
  );
}

const NO_INPUTS: readonly string[] = [];

function Params({ node, entry, title, issues, wired }: { node: DocNode; entry: CatalogEntry; title: string; issues: readonly PipelineIssue[]; wired: WiredPorts | undefined }) {
  const controller = useEditor();
  const wiredInputs = wired?.inputs ?? NO_INPUTS;
  // What the wire that makes params unused brings, once its node has a result: a wired video's size and timing.
  const making = Object.values(entry.params)
    .map((raw) => readParamSpec(raw).unusedWhenWired)
    .find((input) => input !== undefined && wiredInputs.includes(input));
  const source = making ? wired?.sources[making] : undefined;
  const upstream = useNodeRun(source?.node).outputs?.[source?.port ?? ''];
  const flagged = new Set(issues.map((issue) => issue.param).filter((param) => param !== undefined));
  const family = useModelFamily(node, entry);
  // Params only another model family uses (a diffusion model's steps) are hidden, as they change nothing.
  const shown = (name: string) => {
    const forFamily = entry.params[name] && readParamSpec(entry.params[name]).forFamily;
    return forFamily === undefined || forFamily === family;
  };
  const layout = paramLayout(entry).filter(shown);
  const renderParam = (name: string) => {
    const raw = entry.params[name];
    if (!raw || !shown(name)) return null;
    const spec = readParamSpec(raw);
    const unusedBecause = spec.unusedWhenWired && wiredInputs.includes(spec.unusedWhenWired) ? spec.unusedWhenWired : undefined;
    const widget = (
      <ParamWidget
        nodeId={node.id}
        nodeTitle={title}
        entry={entry}
        name={name}
        spec={spec}
        value={name in node.params ? node.params[name] : raw.default}
        params={node.params}
        label={paramLabel(title, name)}
        onChange={unusedBecause ? () => undefined : (value) => controller.setParam(node.id, name, value)}
        renderParam={renderParam}
      />
    );
    // A param a wired input makes unused: read-only, with why (it changes nothing and costs no re-render).
    if (unusedBecause) {
      return (
        <fieldset key={name} className="rg-param-wrap rg-param-unused" disabled aria-label={`${title}: ${name}, unused while ${unusedBecause} is wired`}>
          {layout.includes(name) && <p className="rg-param-note">{unusedNote(name, unusedBecause, upstream)}</p>}
          {widget}
        </fieldset>
      );
    }
    return (
      <div key={name} className={flagged.has(name) ? 'rg-param-wrap rg-invalid' : 'rg-param-wrap'}>
        {widget}
      </div>
    );
  };
  if (layout.length === 0) return null;
  return <div className="rg-params">{layout.map(renderParam)}</div>;
}

/** The family of the model the node's `model` param names (undefined for a node without one, or a model the engine does not know). */
function useModelFamily(node: DocNode, entry: CatalogEntry): string | undefined {
  const models = useConnection().welcome?.models;
  const spec = entry.params.model;
  if (!spec) return undefined;
  const id = 'model' in node.params ? node.params.model : spec.default;
  return models?.find((model) => model.id === id)?.family;
}

/** "width: 512 from the wired video", or, before that video exists (or for a param it has no value for), "region: unused while mask is wired". */
function unusedNote(name: string, input: string, upstream: Record<string, unknown> | undefined): string {
  const value = upstream?.[name];
  if (typeof value !== 'number') return `${name}: unused while ${input} is wired`;
  return `${name}: ${Number(value.toFixed(2))} from the wired ${input}`;
}

/** A node whose type the catalog lacks (or before the engine has sent it): its wires stay attached, its settings kept. */
function UnknownNode({ node, selected, ports, catalogKnown }: { node: DocNode; selected: boolean; ports: WiredPorts | undefined; catalogKnown: boolean }) {
  return (
    <div className={selected ? 'rg-node rg-unknown rg-selected' : 'rg-node rg-unknown'}>
      <NodeGlance title={node.title ?? node.type} />
      <header className="rg-node-header">
        <span className="rg-node-title">{node.title ?? node.type}</span>
      </header>
      <div className="rg-node-body">
        <div className="rg-ports">
          {ports?.outputs.map((port) => (
            <div key={`out-${port}`} className="rg-port rg-port-out">
              <span className="rg-port-name">{humanize(port)}</span>
              <Handle type="source" position={Position.Right} id={port} className="rg-handle" aria-label={`output ${port}`} />
            </div>
          ))}
          {ports?.inputs.map((port) => (
            <div key={`in-${port}`} className="rg-port rg-port-in">
              <Handle type="target" position={Position.Left} id={port} className="rg-handle" aria-label={`input ${port}`} />
              <span className="rg-port-name">{humanize(port)}</span>
            </div>
          ))}
        </div>
        {catalogKnown ? (
          <p className="rg-node-error">This engine has no node type "{node.type}". Its settings are kept; delete it or connect to an engine that has it.</p>
        ) : (
          <p className="rg-hint rg-node-waiting">Waiting for the engine…</p>
        )}
      </div>
    </div>
  );
}
