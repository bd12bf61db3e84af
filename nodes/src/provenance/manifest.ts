/**
 * What an export's C2PA manifest says: created by Reelgraph (the claim
 * generator and the action's software agent), AI-generated
 * (`c2pa.created` with IPTC's `trainedAlgorithmicMedia`), from the reference
 * images upstream of the export node as `inputTo` ingredients.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IngredientDefinition, ManifestDefinition } from './c2pa.ts';

export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
/** Ingredient metadata key holding the reference image's SHA-256 (hex), when the pipeline names it by hash. */
export const SHA256_METADATA_KEY = 'org.reelgraph.sha256';

export const SOFTWARE = { name: 'Reelgraph', version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version };

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.bmp': 'image/bmp', '.tif': 'image/tiff', '.tiff': 'image/tiff' };

interface PipelineShape {
  nodes?: { id?: unknown; type?: unknown; params?: Record<string, unknown> }[];
  edges?: { from?: { node?: unknown }; to?: { node?: unknown } }[];
  assets?: Record<string, { name?: unknown; mime?: unknown }>;
}

/**
 * The reference images feeding node `exportId` (all of the pipeline's when it
 * has no such node), one ingredient each, in pipeline order. A picture named
 * by `sha256:<hex>` carries that hash; one named by a path beside the
 * pipeline file carries only its name, since the export does not see the
 * pipeline's folder.
 */
export function referenceIngredients(pipeline: unknown, exportId: string): IngredientDefinition[] {
  const doc = (pipeline ?? {}) as PipelineShape;
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const edges = Array.isArray(doc.edges) ? doc.edges : [];
  let upstream: Set<unknown> | undefined;
  if (nodes.some((node) => node.id === exportId)) {
    upstream = new Set([exportId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const edge of edges) {
        if (upstream.has(edge.to?.node) && !upstream.has(edge.from?.node)) {
          upstream.add(edge.from?.node);
          grew = true;
        }
      }
    }
  }
  const seen = new Set<string>();
  const ingredients: IngredientDefinition[] = [];
  for (const node of nodes) {
    if (node.type !== 'reference-image' || (upstream && !upstream.has(node.id))) continue;
    const reference = node.params?.image;
    if (typeof reference !== 'string' || reference === '' || seen.has(reference)) continue;
    seen.add(reference);
    const label = `reference-${ingredients.length + 1}`;
    const hash = /^sha256:([0-9a-f]{64})$/.exec(reference)?.[1];
    if (hash !== undefined) {
      const asset = doc.assets?.[reference];
      const title = typeof asset?.name === 'string' ? asset.name : reference;
      const format = typeof asset?.mime === 'string' ? asset.mime : IMAGE_TYPES[path.extname(title).toLowerCase()];
      ingredients.push({ title, ...(format ? { format } : {}), relationship: 'inputTo', label, metadata: { [SHA256_METADATA_KEY]: hash } });
    } else {
      const title = path.posix.basename(reference.replaceAll('\\', '/'));
      const format = IMAGE_TYPES[path.extname(title).toLowerCase()];
      ingredients.push({ title, ...(format ? { format } : {}), relationship: 'inputTo', label });
    }
  }
  return ingredients;
}

/** The manifest of an export named `title`, made from `ingredients`. */
export function exportManifest(title: string, format: string, ingredients: readonly IngredientDefinition[]): ManifestDefinition {
  return {
    claim_generator_info: [SOFTWARE],
    title,
    format,
    assertions: [
      {
        label: 'c2pa.actions',
        data: {
          actions: [
            {
              action: 'c2pa.created',
              digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
              softwareAgent: SOFTWARE,
              ...(ingredients.length > 0 ? { parameters: { ingredientIds: ingredients.map((i) => i.label) } } : {}),
            },
          ],
        },
      },
    ],
  };
}
