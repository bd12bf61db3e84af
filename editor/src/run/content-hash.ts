/**
 * A per-node fingerprint of what decides its result in the browser's view:
 * its type, its params after defaults, and its inputs' fingerprints in port
 * order. Ids, titles and positions are left out, as in the engine's cache key
 * (engine/README.md, "Cache key"). A node whose fingerprint differs from the one it had when its
 * result arrived is stale.
 */
import type { Catalog } from '../catalog/catalog-types.ts';
import type { PipelineDocument, PipelineNode } from '../document/pipeline-types.ts';

export function contentHashes(doc: PipelineDocument, catalog: Catalog): Map<string, string> {
  const byId = new Map(doc.nodes.map((node) => [node.id, node]));
  const feeding = new Map<string, Map<string, string>>();
  for (const edge of doc.edges) {
    const ports = feeding.get(edge.to.node) ?? new Map<string, string>();
    ports.set(edge.to.port, edge.from.node);
    feeding.set(edge.to.node, ports);
  }
  const hashes = new Map<string, string>();
  const visiting = new Set<string>();

  const hashOf = (node: PipelineNode): string => {
    const known = hashes.get(node.id);
    if (known !== undefined) return known;
    // A loop is invalid and never runs; any stable value will do for it.
    if (visiting.has(node.id)) return 'loop';
    visiting.add(node.id);
    const entry = catalog.get(node.type);
    const ports = feeding.get(node.id);
    const inputNames = entry ? Object.keys(entry.inputs) : [...(ports?.keys() ?? [])].sort();
    const inputs = inputNames.map((port) => {
      const upstream = ports?.get(port);
      const upstreamNode = upstream !== undefined ? byId.get(upstream) : undefined;
      return [port, upstreamNode ? hashOf(upstreamNode) : null];
    });
    const params = { ...Object.fromEntries(Object.entries(entry?.params ?? {}).map(([name, spec]) => [name, spec.default])), ...node.params };
    const hash = hashText(canonicalJson({ type: node.type, version: entry?.version ?? 0, params, inputs }));
    visiting.delete(node.id);
    hashes.set(node.id, hash);
    return hash;
  };

  for (const node of doc.nodes) hashOf(node);
  return hashes;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** cyrb53: a fast 53-bit string hash; collisions only cost a missing stale mark. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
