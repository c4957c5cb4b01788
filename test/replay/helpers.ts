/** What the replay tests share: the corpus, a quiet runtime, bundling, and reading inside histories. */
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { CompiledDefinition, CompiledTask } from '../../src/contract/compiled';
import { historyFiles, startArguments, type History } from '../../src/replay';
import type { InterpretInput } from '../../src/workflows/api';

export const HISTORIES = path.resolve(__dirname, '../histories');
export const corpus = (): string[] => historyFiles(HISTORIES);
export const EventType = temporal.api.enums.v1.EventType;

let installed = false;
/**
 * Replay workers log their start and stop at INFO, and the SDK core warns about every workflow task a
 * non-determinism fails, which these tests provoke on purpose: keep test output to errors.
 */
export function quietRuntime(): void {
  if (installed) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
    },
  });
  installed = true;
}

/** The compiled definition a recorded `interpret` run was started with. */
export function definitionOf(history: History): CompiledDefinition {
  return (startArguments(history)[0] as InterpretInput).definition;
}

/** Every task type used in a definition, nested tasks and the output task included. */
export function taskTypesOf(definition: CompiledDefinition): Set<string> {
  const types = new Set<string>();
  const visit = (t: CompiledTask) => {
    types.add(t.type);
    t.children.forEach(visit);
  };
  definition.tasks.forEach(visit);
  if (definition.outputTask) visit(definition.outputTask);
  return types;
}

/** Decode the first payload of a `Payloads` (JSON). */
export function decode(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown {
  const first = payloads?.payloads?.[0];
  return first ? defaultPayloadConverter.fromPayload(first) : undefined;
}
