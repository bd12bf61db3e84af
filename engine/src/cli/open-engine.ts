import { builtinNodes } from '@reelgraph/nodes';
import { Catalog } from '../catalog.ts';
import { resolveDataDir } from '../data-dir.ts';
import { Engine } from '../engine.ts';
import type { RunBudget } from '../run/run-budget.ts';

export function createCatalog(): Catalog {
  return new Catalog(builtinNodes);
}

export function openEngine(dataDirFlag: string | undefined, budget: Partial<RunBudget> = {}): Engine {
  return new Engine({ catalog: createCatalog(), dataDir: resolveDataDir(dataDirFlag), budget });
}
