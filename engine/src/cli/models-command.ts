import { LayersModelError, listModels, modelDigest, NcnnModelError, UnsupportedModelError } from '@reelgraph/models';
import { resolveDataDir } from '../data-dir.ts';
import { formatBytes } from '../format-bytes.ts';
import { manifestUrlFor, ModelStore, ModelStoreError } from '../models/model-store.ts';
import { COMMON_OPTIONS, parseCliArgs } from './parse-cli-args.ts';
import { UsageError } from './usage-error.ts';

const USAGE =
  'Usage: reelgraph models list [--json] | add DIR [--id OWNER/NAME] [--licence TEXT] [--source TEXT] | pull URL|ID [--id OWNER/NAME] | remove ID | verify [ID]';

/** `reelgraph models …`: list, add, remove and verify the models in the data dir's model store. */
export async function modelsCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const options = { ...COMMON_OPTIONS, id: { type: 'string' }, licence: { type: 'string' }, source: { type: 'string' } } as const;
  switch (action) {
    case 'list': {
      const { values } = parseCliArgs(rest, COMMON_OPTIONS, 0);
      const store = new ModelStore(resolveDataDir(values['data-dir']));
      await store.registerAll();
      const models = listModels().map((model) => ({
        id: model.id,
        name: model.name,
        family: model.family,
        tasks: [...model.tasks],
        ...(model.scales ? { scales: [...model.scales] } : {}),
        builtIn: model.folder === undefined,
        bytes: model.files.reduce((sum, file) => sum + file.bytes, 0),
        description: model.description,
        licence: model.licence,
        source: model.source,
        sha256: modelDigest(model),
      }));
      if (values.json) {
        console.log(JSON.stringify(models, null, 2));
        return 0;
      }
      for (const model of models) {
        const size = model.builtIn ? 'built in' : formatBytes(model.bytes);
        console.log(`${model.id}  (${model.family}; ${model.tasks.join(', ')}${model.scales ? `; ×${model.scales.join(' ×')}` : ''}; ${size})`);
        console.log(`  ${model.description}`);
        console.log(`  licence: ${model.licence}`);
        console.log(`  source:  ${model.source}`);
        console.log(`  digest:  ${model.sha256} (what a pipeline records)`);
      }
      return 0;
    }
    case 'add': {
      const { values, positionals } = parseCliArgs(rest, options, 1);
      const store = new ModelStore(resolveDataDir(values['data-dir']));
      await store.registerAll();
      return reportStoreErrors(async () => {
        const added = await store.add(positionals[0]!, { id: values.id, licence: values.licence, source: values.source });
        console.log(`Added ${added.id} (${added.family}; ${added.tasks.join(', ')}), ${added.files.length} files, ${formatBytes(added.files.reduce((s, f) => s + f.bytes, 0))}.`);
      });
    }
    case 'pull': {
      const { values, positionals } = parseCliArgs(rest, options, 1);
      const store = new ModelStore(resolveDataDir(values['data-dir']));
      await store.registerAll();
      const interactive = process.stderr.isTTY === true;
      let lastFile = '';
      return reportStoreErrors(async () => {
        const pulled = await store.pull(manifestUrlFor(positionals[0]!), {
          id: values.id,
          onProgress: ({ file, done, total }) => {
            const line = `pulling ${file}: ${formatBytes(done)} of ${formatBytes(total)} (${total > 0 ? Math.floor((done / total) * 100) : 100}%)`;
            if (interactive) process.stderr.write(`\r${line}\x1b[K`);
            else if (file !== lastFile) process.stderr.write(`pulling ${file}\n`);
            lastFile = file;
          },
        });
        if (interactive) process.stderr.write('\n');
        console.log(`Pulled ${pulled.id} (${pulled.family}; ${pulled.tasks.join(', ')}), ${pulled.files.length} files, ${formatBytes(pulled.files.reduce((s, f) => s + f.bytes, 0))}.`);
      });
    }
    case 'remove': {
      const { values, positionals } = parseCliArgs(rest, COMMON_OPTIONS, 1);
      const store = new ModelStore(resolveDataDir(values['data-dir']));
      return reportStoreErrors(async () => {
        await store.remove(positionals[0]!);
        console.log(`Removed ${positionals[0]}.`);
      });
    }
    case 'verify': {
      const { values, positionals } = parseCliArgs(rest, COMMON_OPTIONS, 1, true);
      const store = new ModelStore(resolveDataDir(values['data-dir']));
      let damaged = 0;
      const code = await reportStoreErrors(async () => {
        const results = await store.verify(positionals[0]);
        if (values.json) console.log(JSON.stringify(results, null, 2));
        for (const { id, problems } of results) {
          if (problems.length > 0) damaged++;
          if (values.json) continue;
          console.log(problems.length === 0 ? `${id}: ok` : `${id}: damaged`);
          for (const problem of problems) console.log(`  ${problem}`);
        }
        if (!values.json && results.length === 0) console.log('No models are installed.');
      });
      return code !== 0 ? code : damaged > 0 ? 1 : 0;
    }
    default:
      throw new UsageError(action ? `Unknown models action "${action}". ${USAGE}` : USAGE);
  }
}

async function reportStoreErrors(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof ModelStoreError || error instanceof UnsupportedModelError || error instanceof LayersModelError || error instanceof NcnnModelError) {
      console.error((error as Error).message);
      return 2;
    }
    throw error;
  }
}

