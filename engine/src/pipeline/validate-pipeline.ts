/**
 * Checks a (migrated) document against the file format and the node catalog,
 * collecting every problem at once. Nothing runs on a graph with issues.
 */
import { findModel, modelDigest } from '@reelgraph/models';
import type { ParamSpec, PortSpec } from '@reelgraph/nodes';
import type { z } from 'zod';
import type { Catalog } from '../catalog.ts';
import { closestMatch } from './closest-match.ts';
import { findCycles } from './find-cycles.ts';
import { checkModelRecords } from './model-records.ts';
import { pipelineSchema, type PipelineDocument } from './pipeline-document.ts';
import type { PipelineIssue } from './pipeline-issue.ts';
import { PIPELINE_LIMITS } from './pipeline-limits.ts';
import { expandReusableGraphs } from './reusable-graphs.ts';

/** `document` is what runs (reusable graphs expanded); `source` is the document as written, when that differs. */
export type ValidationResult = { ok: true; document: PipelineDocument; source?: PipelineDocument } | { ok: false; issues: PipelineIssue[] };

export function validatePipeline(raw: unknown, catalog: Catalog): ValidationResult {
  const parsed = pipelineSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => shapeIssue(issue, raw)) };
  const expanded = expandReusableGraphs(parsed.data);
  if (!expanded.ok) return expanded;
  if (expanded.document.nodes.length > PIPELINE_LIMITS.nodes) {
    return { ok: false, issues: [{ code: 'shape', message: `The pipeline's reusable graphs expand to ${expanded.document.nodes.length} nodes; at most ${PIPELINE_LIMITS.nodes} can run.` }] };
  }
  const issues = checkGraph(expanded.document, catalog);
  if (issues.length > 0) return { ok: false, issues };
  return expanded.document === parsed.data ? { ok: true, document: parsed.data } : { ok: true, document: expanded.document, source: parsed.data };
}

function shapeIssue(issue: z.core.$ZodIssue, raw: unknown): PipelineIssue {
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  // A record key problem nests the useful sentence one level down.
  const nested = 'issues' in issue && Array.isArray(issue.issues) ? (issue.issues as { message?: string }[])[0]?.message : undefined;
  const text = nested ?? issue.message;
  const result: PipelineIssue = { code: 'shape', message: where ? `"${where}": ${text}.` : `${text}.` };
  const [section, index] = issue.path;
  if (section === 'nodes' && typeof index === 'number') {
    const id = (raw as { nodes?: { id?: unknown }[] }).nodes?.[index]?.id;
    if (typeof id === 'string') result.nodeId = id;
  }
  if (section === 'edges' && typeof index === 'number') result.edge = index;
  return result;
}

function checkGraph(document: PipelineDocument, catalog: Catalog): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const nodes = new Map<string, PipelineDocument['nodes'][number]>();

  for (const node of document.nodes) {
    if (nodes.has(node.id)) {
      issues.push({ code: 'duplicate-id', nodeId: node.id, message: `Two nodes have the id "${node.id}"; give each node its own id.` });
      continue;
    }
    nodes.set(node.id, node);
    const definition = catalog.get(node.type);
    if (!definition) {
      const suggestion = closestMatch(node.type, catalog.types);
      issues.push({
        code: 'unknown-type',
        nodeId: node.id,
        message: `Unknown node type "${node.type}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Run \`reelgraph nodes\` to list the kinds.`,
      });
      continue;
    }
    issues.push(...checkParams(node.id, node.params, definition.params, definition.checkParams));
  }

  const taken = new Map<string, number>();
  document.edges.forEach((edge, index) => {
    const source = nodes.get(edge.from.node);
    const target = nodes.get(edge.to.node);
    for (const [end, node] of [
      ['from', source],
      ['to', target],
    ] as const) {
      if (!node) {
        issues.push({
          code: 'missing-node',
          edge: index,
          message: `Wire ${index} ${end === 'from' ? 'comes from' : 'goes to'} node "${edge[end].node}", which is not in the pipeline.`,
        });
      }
    }
    const sourceDef = source && catalog.get(source.type);
    const targetDef = target && catalog.get(target.type);
    const output = sourceDef ? lookupPort(sourceDef.outputs, edge.from.port) : undefined;
    const input = targetDef ? lookupPort(targetDef.inputs, edge.to.port) : undefined;
    if (source && sourceDef && !output) {
      issues.push(portIssue(source.id, edge.from.port, 'output', Object.keys(sourceDef.outputs), index));
    }
    if (target && targetDef && !input) {
      issues.push(portIssue(target.id, edge.to.port, 'input', Object.keys(targetDef.inputs), index));
    }
    if (output && input && output.type !== input.type) {
      issues.push({
        code: 'type-mismatch',
        nodeId: edge.to.node,
        port: edge.to.port,
        edge: index,
        message: `Input "${edge.to.port}" takes ${input.type}, but wire ${index} brings ${output.type} from "${edge.from.node}.${edge.from.port}".`,
      });
    }
    if (input) {
      const slot = `${edge.to.node}\0${edge.to.port}`;
      const first = taken.get(slot);
      if (first !== undefined) {
        issues.push({
          code: 'input-taken',
          nodeId: edge.to.node,
          port: edge.to.port,
          edge: index,
          message: `Input "${edge.to.port}" already has a wire (wire ${first}); an input takes one wire. Remove one of them.`,
        });
      } else {
        taken.set(slot, index);
      }
    }
  });

  for (const node of nodes.values()) {
    const definition = catalog.get(node.type);
    if (!definition) continue;
    for (const [name, spec] of Object.entries(definition.inputs as Record<string, PortSpec>)) {
      if (!spec.optional && !taken.has(`${node.id}\0${name}`)) {
        issues.push({
          code: 'missing-input',
          nodeId: node.id,
          port: name,
          message: `Input "${name}" (${spec.type}) needs a wire.`,
        });
      }
    }
  }

  const paramsOf = (type: string) => catalog.get(type)?.params as Record<string, ParamSpec> | undefined;
  issues.push(...checkModelRecords(document, paramsOf, installedDigest));

  for (const cycle of findCycles([...nodes.keys()], document.edges)) {
    issues.push({
      code: 'cycle',
      nodeId: cycle[0],
      message: `These nodes form a loop, so none of them can run first: ${[...cycle, cycle[0]].map((id) => `"${id}"`).join(' → ')}. Remove one wire of the loop.`,
    });
  }
  return issues;
}

function installedDigest(modelId: string): string | undefined {
  const model = findModel(modelId);
  return model && modelDigest(model);
}

function lookupPort(ports: Record<string, PortSpec>, name: string): PortSpec | undefined {
  return Object.hasOwn(ports, name) ? ports[name] : undefined;
}

function portIssue(nodeId: string, port: string, side: 'input' | 'output', known: string[], edge: number): PipelineIssue {
  const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none';
  return {
    code: 'unknown-port',
    nodeId,
    port,
    edge,
    message: `Wire ${edge} uses ${side} "${port}", which this node does not have (its ${side}s: ${list}).`,
  };
}

function checkParams(
  nodeId: string,
  values: Record<string, unknown>,
  specs: Record<string, ParamSpec>,
  crossCheck: ((params: Record<string, unknown>) => { param: string; message: string }[]) | undefined,
): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(specs, name)) {
      const suggestion = closestMatch(name, Object.keys(specs));
      issues.push({
        code: 'unknown-param',
        nodeId,
        param: name,
        message: `This node has no param "${name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      });
    }
  }
  let allValid = issues.length === 0;
  for (const [name, spec] of Object.entries(specs)) {
    // An absent param takes its default, which a required param (a file to read) does not have: absent and empty are refused alike.
    const present = Object.hasOwn(values, name);
    const problem = spec.check(present ? values[name] : spec.default);
    if (problem) {
      allValid = false;
      issues.push({ code: 'bad-param', nodeId, param: name, message: present ? `"${name}" ${problem}.` : `"${name}" is missing and ${problem}.` });
    }
  }
  if (allValid && crossCheck) {
    for (const { param, message } of crossCheck(withDefaults(values, specs))) {
      // Cross-checks say what is wrong as checks do, without the subject: "is empty and …".
      issues.push({ code: 'bad-param', nodeId, param, message: `"${param}" ${message}${/[.!?]$/.test(message) ? '' : '.'}` });
    }
  }
  return issues;
}

/** Param values with every missing one set to its default. */
export function withDefaults(values: Record<string, unknown>, specs: Record<string, ParamSpec>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, Object.hasOwn(values, name) ? values[name] : spec.default]),
  );
}
