import { createCatalog } from './open-engine.ts';
import { COMMON_OPTIONS, parseCliArgs } from './parse-cli-args.ts';

export async function nodesCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, COMMON_OPTIONS, 0);
  const entries = createCatalog().describe();
  if (values.json) {
    console.log(JSON.stringify(entries, null, 2));
    return 0;
  }
  for (const entry of entries) {
    const inputs = Object.entries(entry.inputs).map(([name, p]) => `${name}: ${p.type}${p.optional ? '?' : ''}`);
    const outputs = Object.entries(entry.outputs).map(([name, p]) => `${name}: ${p.type}`);
    console.log(`${entry.type}  (${entry.category}) — ${entry.title}`);
    console.log(`  ${entry.description}`);
    console.log(`  in:  ${inputs.join(', ') || '—'}`);
    console.log(`  out: ${outputs.join(', ') || '—'}`);
    console.log(`  params: ${Object.keys(entry.params).join(', ') || '—'}\n`);
  }
  return 0;
}
