/**
 * Pipeline files of older versions are upgraded on load by an ordered list of
 * pure functions, each taking a document of version `from` to `from + 1`.
 * Version 1 is the first published format, so the list is empty today; the
 * next format change appends its migration here with a test on a real file.
 */
import { PIPELINE_FORMAT, PIPELINE_VERSION } from './pipeline-document.ts';
import type { PipelineIssue } from './pipeline-issue.ts';

export interface Migration {
  from: number;
  describe: string;
  migrate(document: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [];

export type MigrationResult =
  | { ok: true; document: Record<string, unknown>; applied: string[] }
  | { ok: false; issues: PipelineIssue[] };

export function migrateDocument(
  document: unknown,
  migrations: readonly Migration[] = MIGRATIONS,
  currentVersion: number = PIPELINE_VERSION,
): MigrationResult {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return fail('format', 'The file holds no pipeline: expected a JSON object with "format": "reelgraph.pipeline".');
  }
  const record = document as Record<string, unknown>;
  if (record.format !== PIPELINE_FORMAT) {
    return fail(
      'format',
      `This is not a Reelgraph pipeline: "format" is ${JSON.stringify(record.format) ?? 'missing'}, expected "${PIPELINE_FORMAT}".`,
    );
  }
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail('version', `"version" must be a whole number from 1 up, not ${JSON.stringify(version) ?? 'missing'}.`);
  }
  if (version > currentVersion) {
    return fail(
      'version',
      `This pipeline is version ${version}, made by a newer Reelgraph; this one reads up to version ${currentVersion}. Update Reelgraph to open it.`,
    );
  }
  let current = record;
  const applied: string[] = [];
  for (let v = version; v < currentVersion; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return fail('version', `No migration from version ${v}; this file cannot be upgraded.`);
    current = { ...step.migrate(current), version: v + 1 };
    applied.push(step.describe);
  }
  return { ok: true, document: current, applied };
}

function fail(code: 'format' | 'version', message: string): MigrationResult {
  return { ok: false, issues: [{ code, message }] };
}
