/**
 * The pipeline file format, version 1 (README: Pipeline files). This schema is the single
 * source: the TypeScript types are inferred from it and the published JSON
 * Schema (engine/schema/pipeline.v1.schema.json) is generated from it.
 */
import { z } from 'zod';
import { PIPELINE_LIMITS } from './pipeline-limits.ts';

export const PIPELINE_FORMAT = 'reelgraph.pipeline';
export const PIPELINE_VERSION = 1;

const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" and "." only');

const endpoint = z.strictObject({ node: identifier, port: identifier });

export const nodeSchema = z.strictObject({
  id: identifier.describe('Unique within the pipeline; wires refer to it.'),
  type: z.string().min(1).max(80).describe('A node kind from the catalog, e.g. "export", or "graph:<id>" for a use of a reusable graph in `definitions`.'),
  title: z.string().max(200).optional().describe('Shown instead of the kind title.'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Param values; missing ones take their defaults.'),
  ui: z
    .looseObject({ x: z.number(), y: z.number() })
    .optional()
    .describe('Editor state (position, size, …); never affects results.'),
});

export const edgeSchema = z.strictObject({ from: endpoint, to: endpoint });

const innerPort = z.strictObject({ node: identifier, port: identifier });

export const reusableGraphSchema = z.strictObject({
  name: z.string().min(1).max(200).describe('What the palette and the use nodes show.'),
  description: z.string().max(10_000).optional(),
  nodes: z.array(nodeSchema).max(PIPELINE_LIMITS.nodes),
  edges: z.array(edgeSchema).max(PIPELINE_LIMITS.edges).default([]),
  inputs: z
    .record(identifier, z.strictObject({ targets: z.array(innerPort).min(1).max(64) }))
    .default({})
    .describe('Exposed inputs: a wire into the use feeds every target input inside.'),
  outputs: z.record(identifier, innerPort).default({}).describe('Exposed outputs: the inner output a wire from the use takes.'),
  params: z
    .record(identifier, z.strictObject({ targets: z.array(z.strictObject({ node: identifier, param: identifier })).min(1).max(64) }))
    .default({})
    .describe('Exposed params: a value set on the use replaces every target param inside; unset, the inner values hold.'),
  ui: z.looseObject({}).optional().describe('Editor state; never affects results.'),
});

export const assetSchema = z.strictObject({
  name: z.string().min(1).max(255),
  mime: z.string().min(1).max(100),
  data: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
    .optional()
    .describe('Base64 content. When absent, the asset is looked up in the data dir (an upload).'),
});

export const ASSET_KEY = /^sha256:[0-9a-f]{64}$/;

export const pipelineSchema = z.strictObject({
  format: z.literal(PIPELINE_FORMAT),
  version: z.literal(PIPELINE_VERSION),
  name: z.string().max(200).default('Untitled'),
  description: z.string().max(10_000).optional(),
  nodes: z.array(nodeSchema).max(PIPELINE_LIMITS.nodes),
  edges: z.array(edgeSchema).max(PIPELINE_LIMITS.edges).default([]),
  assets: z
    .record(z.string().regex(ASSET_KEY, 'asset keys are "sha256:" and 64 lowercase hex digits'), assetSchema)
    .default({})
    .refine((assets) => Object.keys(assets).length <= PIPELINE_LIMITS.assets, `at most ${PIPELINE_LIMITS.assets} assets`),
  models: z
    .record(z.string().min(1).max(200), z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits') }))
    .optional()
    .refine((models) => Object.keys(models ?? {}).length <= PIPELINE_LIMITS.nodes, `at most ${PIPELINE_LIMITS.nodes} models`)
    .describe(
      'The models the pipeline was made with: model id → sha256 digest of its weights (`reelgraph models list` shows it). A node whose installed model has other weights is refused, with how to get the recorded ones.',
    ),
  definitions: z
    .record(identifier, reusableGraphSchema)
    .optional()
    .refine((definitions) => Object.keys(definitions ?? {}).length <= PIPELINE_LIMITS.nodes, `at most ${PIPELINE_LIMITS.nodes} definitions`)
    .describe('Reusable graphs, used by nodes of type "graph:<id>" (and by each other); expanded before a run, so their nodes cache as if inline.'),
  ui: z.looseObject({}).optional().describe('Editor state (viewport, …); never affects results.'),
});

export type PipelineDocument = z.output<typeof pipelineSchema>;
export type PipelineNode = PipelineDocument['nodes'][number];
export type PipelineEdge = PipelineDocument['edges'][number];
export type PipelineAsset = PipelineDocument['assets'][string];
export type ReusableGraph = z.output<typeof reusableGraphSchema>;
