/**
 * Reusable graphs: a pipeline's `definitions` are named subgraphs with the
 * inputs, outputs and params they expose; a node of type `graph:<id>` uses
 * one. Before validation and planning every use is expanded into the nodes
 * it stands for, ids prefixed with the use's id and "/" (`story/shot`), a
 * character a written node id cannot have, so expansions never collide with
 * the pipeline's own nodes. Cache keys never include ids, so an expanded
 * node's key is the key it would have inline: making nodes reusable costs no
 * re-render. Uses may nest, to MAX_NESTING levels; a definition that uses
 * itself, directly or not, is refused.
 *
 * Pure and free of Node APIs: the editor uses it to show a use's ports.
 */
import type { PipelineDocument, PipelineEdge, PipelineNode, ReusableGraph } from './pipeline-document.ts';
import type { PipelineIssue } from './pipeline-issue.ts';

export const GRAPH_TYPE_PREFIX = 'graph:';
export const MAX_NESTING = 8;
/** Joins a use's id and an inner node's id in the expanded graph. */
export const PATH_SEPARATOR = '/';

export function isGraphUse(type: string): boolean {
  return type.startsWith(GRAPH_TYPE_PREFIX);
}

export function definitionIdOf(type: string): string {
  return type.slice(GRAPH_TYPE_PREFIX.length);
}

/** The use node an expanded node belongs to (its outermost), or undefined for a node of the pipeline itself. */
export function outermostUse(nodeId: string): string | undefined {
  const cut = nodeId.indexOf(PATH_SEPARATOR);
  return cut === -1 ? undefined : nodeId.slice(0, cut);
}

export type Expansion = { ok: true; document: PipelineDocument } | { ok: false; issues: PipelineIssue[] };

/** The pipeline with every use of a definition replaced by its nodes; `definitions` is dropped. */
export function expandReusableGraphs(document: PipelineDocument): Expansion {
  const definitions = document.definitions ?? {};
  if (!document.nodes.some((node) => isGraphUse(node.type)) && Object.keys(definitions).length === 0) return { ok: true, document };
  const issues = checkDefinitions(definitions);
  if (issues.length > 0) return { ok: false, issues };
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  const where = new Map<string, Boundary>();
  expandInto(document.nodes, document.edges, '', definitions, nodes, edges, where, issues, 0);
  if (issues.length > 0) return { ok: false, issues };
  const { definitions: _definitions, ...rest } = document;
  return { ok: true, document: { ...rest, nodes, edges: edges.flatMap((edge) => resolveEdge(edge, where)) } };
}

/** How a use node's ports map onto expanded nodes. */
interface Boundary {
  inputs: Record<string, { node: string; port: string }[]>;
  outputs: Record<string, { node: string; port: string }>;
}

function expandInto(
  nodes: readonly PipelineNode[],
  edges: readonly PipelineEdge[],
  prefix: string,
  definitions: Record<string, ReusableGraph>,
  outNodes: PipelineNode[],
  outEdges: PipelineEdge[],
  where: Map<string, Boundary>,
  issues: PipelineIssue[],
  depth: number,
): void {
  for (const node of nodes) {
    const id = prefix + node.id;
    if (!isGraphUse(node.type)) {
      outNodes.push({ ...node, id });
      continue;
    }
    const definitionId = definitionIdOf(node.type);
    const definition = definitions[definitionId];
    if (!definition) {
      issues.push({ code: 'unknown-type', nodeId: id, message: `Node "${id}" uses the reusable graph "${definitionId}", which the pipeline does not define.` });
      continue;
    }
    if (depth >= MAX_NESTING) {
      issues.push({ code: 'shape', nodeId: id, message: `Reusable graphs nest more than ${MAX_NESTING} deep at node "${id}".` });
      continue;
    }
    for (const name of Object.keys(node.params)) {
      if (!Object.hasOwn(definition.params, name)) {
        issues.push({ code: 'unknown-param', nodeId: id, param: name, message: `The reusable graph "${definition.name}" exposes no param "${name}" (it exposes ${listOr(Object.keys(definition.params))}).` });
      }
    }
    const inner = `${id}${PATH_SEPARATOR}`;
    // Exposed param values land on the inner nodes they stand for.
    const overrides = new Map<string, Record<string, unknown>>();
    for (const [name, exposed] of Object.entries(definition.params)) {
      if (!Object.hasOwn(node.params, name)) continue;
      for (const target of exposed.targets) overrides.set(target.node, { ...overrides.get(target.node), [target.param]: node.params[name] });
    }
    const innerNodes = definition.nodes.map((child) => ({ ...child, params: { ...child.params, ...overrides.get(child.id) } }));
    expandInto(innerNodes, definition.edges, inner, definitions, outNodes, outEdges, where, issues, depth + 1);
    where.set(id, {
      inputs: Object.fromEntries(Object.entries(definition.inputs).map(([port, exposed]) => [port, exposed.targets.map((t) => ({ node: inner + t.node, port: t.port }))])),
      outputs: Object.fromEntries(Object.entries(definition.outputs).map(([port, t]) => [port, { node: inner + t.node, port: t.port }])),
    });
  }
  for (const edge of edges) {
    outEdges.push({ from: { node: prefix + edge.from.node, port: edge.from.port }, to: { node: prefix + edge.to.node, port: edge.to.port } });
  }
}

/** A wire to or from a use node, as wires between expanded nodes (an exposed input may feed several). */
function resolveEdge(edge: PipelineEdge, where: Map<string, Boundary>): PipelineEdge[] {
  let from = edge.from;
  // A use's output can be another use's output: follow until a real node.
  for (let hops = 0; where.has(from.node) && hops <= MAX_NESTING; hops++) {
    const target = where.get(from.node)!.outputs[from.port];
    if (!target) return [edge];
    from = target;
  }
  let targets = [edge.to];
  for (let hops = 0; targets.some((to) => where.has(to.node)) && hops <= MAX_NESTING; hops++) {
    targets = targets.flatMap((to) => (where.has(to.node) ? (where.get(to.node)!.inputs[to.port] ?? [to]) : [to]));
  }
  return targets.map((to) => ({ from, to }));
}

/** Problems of the definitions themselves: exposed ends that name no inner node, and definitions that use themselves. */
export function checkDefinitions(definitions: Record<string, ReusableGraph>): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  for (const [id, definition] of Object.entries(definitions)) {
    const inner = new Set(definition.nodes.map((node) => node.id));
    const missing = (what: string, node: string) =>
      issues.push({ code: 'missing-node', message: `The reusable graph "${id}" exposes ${what} of node "${node}", which it does not contain.` });
    for (const [port, exposed] of Object.entries(definition.inputs)) for (const target of exposed.targets) if (!inner.has(target.node)) missing(`input "${port}"`, target.node);
    for (const [port, target] of Object.entries(definition.outputs)) if (!inner.has(target.node)) missing(`output "${port}"`, target.node);
    for (const [name, exposed] of Object.entries(definition.params)) for (const target of exposed.targets) if (!inner.has(target.node)) missing(`param "${name}"`, target.node);
  }
  const cycle = findDefinitionCycle(definitions);
  if (cycle) issues.push({ code: 'cycle', message: `The reusable graph "${cycle[0]}" uses itself (${cycle.join(' → ')}); a definition cannot contain itself.` });
  return issues;
}

function findDefinitionCycle(definitions: Record<string, ReusableGraph>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done' || !definitions[id]) return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const node of definitions[id].nodes) {
      if (!isGraphUse(node.type)) continue;
      const found = visit(definitionIdOf(node.type), [...path, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(definitions)) {
    const found = visit(id, []);
    if (found) return found;
  }
  return undefined;
}

function listOr(names: string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => `"${name}"`).join(', ');
}
