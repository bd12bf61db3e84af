import { builtinNodes } from '@reelgraph/nodes';
import { Catalog } from '../catalog.ts';
import { resolveDataDir } from '../data-dir.ts';
import { Engine, type EngineOptions } from '../engine.ts';
import { ModelStore } from '../models/model-store.ts';
import type { RunBudget } from '../run/run-budget.ts';

export function createCatalog(): Catalog {
  return new Catalog(builtinNodes);
}

/** An engine on the data dir, with the models installed there known to node params. */
export async function openEngine(
  dataDirFlag: string | undefined,
  budget: Partial<RunBudget> = {},
  farm: Pick<EngineOptions, 'sharedCache' | 'remote'> = {},
): Promise<Engine> {
  const dataDir = resolveDataDir(dataDirFlag);
  await new ModelStore(dataDir).registerAll();
  return new Engine({ catalog: createCatalog(), dataDir, budget, ...farm });
}
