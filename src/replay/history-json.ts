/**
 * History <-> JSON in the format `temporal workflow show -o json`, the Web UI and the SDK's
 * `historyToJSON`/`historyFromJSON` use (camelCase ProtoJSON, payloads base64).
 *
 * Why not the SDK's functions: they convert with the `protobufjs` copy that `@temporalio/common`
 * resolves, while the history types were built by the copy `@temporalio/proto` resolves. When the
 * install holds more than one copy (another dependency pulls protobufjs 7 to the top of
 * node_modules, so each `@temporalio/*` package gets its own nested protobufjs 8), protobufjs'
 * `instanceof Type` check fails and both throw "type must be a Type". Here the ProtoJSON codec is
 * taken from the same copy as the types, which works with one copy or several.
 */
import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
}

const protoDir = path.dirname(require.resolve('@temporalio/proto'));
const protojson: ProtoJson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] }));
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

/** Pretty JSON (two-space indent) of a history. */
export function historyToJSON(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2);
}

/**
 * A history from its JSON form. Accepts the enum spellings of older exports too (`WorkflowExecutionStarted`
 * as well as `EVENT_TYPE_WORKFLOW_EXECUTION_STARTED`). Throws TypeError on anything else.
 */
export function historyFromJSON(json: unknown): History {
  const events = (json as { events?: unknown } | null)?.events;
  if (typeof json !== 'object' || json === null || !Array.isArray(events)) {
    throw new TypeError("expected an object with an 'events' array");
  }
  const loaded = protojson.fromJson(
    historyType,
    { events: events.map(fixEvent) },
    { ignoreUnknownFields: true },
  );
  if (loaded == null) throw new TypeError('not a history');
  return loaded as History;
}

/** Older exports write enums in PascalCase without their prefix; ProtoJSON wants `PREFIX_CONSTANT_CASE`. */
function fixEnum(
  obj: Record<string, any>,
  field: string,
  prefix: string,
): Record<string, string> | undefined {
  const value = obj[field];
  if (typeof value !== 'string' || value.startsWith(prefix)) return undefined;
  return { [field]: `${prefix}_${value.replace(/(?<=.)([A-Z])/g, '_$1').toUpperCase()}` };
}

function fixEvent(event: unknown, index: number): Record<string, any> {
  if (typeof event !== 'object' || event === null) throw new TypeError(`event ${index + 1} is not an object`);
  const e = event as Record<string, any>;
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
  if (!key || typeof e[key] !== 'object' || e[key] === null)
    throw new TypeError(`event ${index + 1} has no '...EventAttributes'`);
  const attributes = e[key] as Record<string, any>;
  const failureInfo = attributes.childWorkflowExecutionFailureInfo as Record<string, any> | undefined;
  return {
    ...e,
    ...fixEnum(e, 'eventType', 'EVENT_TYPE'),
    [key]: {
      ...attributes,
      ...(attributes.taskQueue
        ? {
            taskQueue: {
              ...attributes.taskQueue,
              ...fixEnum(attributes.taskQueue, 'kind', 'TASK_QUEUE_KIND'),
            },
          }
        : {}),
      ...fixEnum(attributes, 'parentClosePolicy', 'PARENT_CLOSE_POLICY'),
      ...fixEnum(attributes, 'workflowIdReusePolicy', 'WORKFLOW_ID_REUSE_POLICY'),
      ...fixEnum(attributes, 'initiator', 'CONTINUE_AS_NEW_INITIATOR'),
      ...fixEnum(attributes, 'retryState', 'RETRY_STATE'),
      ...(failureInfo
        ? {
            childWorkflowExecutionFailureInfo: {
              ...failureInfo,
              ...fixEnum(failureInfo, 'retryState', 'RETRY_STATE'),
            },
          }
        : {}),
    },
  };
}
