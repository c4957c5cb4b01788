/**
 * Payload encryption on the real dev server: a worker and a client sharing an AES-256-GCM codec run a
 * gated definition whose input carries a secret. The raw history (read without the codec) holds only
 * ciphertext where inputs, outputs, activity arguments and results, and update payloads are; the
 * secret appears nowhere; and a client without the key cannot read the result. The run works.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { dataConverterFromEnv, ENCRYPTED_ENCODING, METADATA_KEY_ID } from '../../src/codec';
import { FlowstateClient } from '../../src/client';
import { eventually } from '../harness/eventually';

const keyEnv = {
  FLOWSTATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  FLOWSTATE_ENCRYPTION_KEY_ID: 'test-key-1',
};
const dataConverter = dataConverterFromEnv(keyEnv)!;
const env = useTestEnv({ worker: { dataConverter } });

const SECRET = 'PAN-4111111111111111';
const COMMENT_SECRET = 'approved-by-badge-7731';

const definition = compileYaml(`
id: secret-document
version: 1.0.0
input:
  type: object
  required: [card]
  properties: { card: { type: string } }
tasks:
  - id: draft
    tool: echo
    with: { note: "charge {{ input.card }}" }
    acceptance: { acceptors: [editor] }
  - id: report
    type: aggregate
    outputs: { note: "{{ tasks.draft.output.note }}", approved: true }
`);

interface FoundPayload {
  path: string;
  encoding?: string;
  keyId?: string;
}

/** Every Temporal payload (an object with `metadata.encoding`) in a history, with where it was found. */
function payloadsIn(value: unknown, path = '', out: FoundPayload[] = []): FoundPayload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const v = value as Record<string, unknown>;
  const metadata = v.metadata as Record<string, Uint8Array> | undefined;
  if (metadata && metadata.encoding instanceof Uint8Array) {
    const text = (b?: Uint8Array) => (b ? Buffer.from(b).toString('utf8') : undefined);
    out.push({ path, encoding: text(metadata.encoding), keyId: text(metadata[METADATA_KEY_ID]) });
    return out;
  }
  for (const [k, child] of Object.entries(v)) payloadsIn(child, path ? `${path}.${k}` : k, out);
  return out;
}

/** All bytes and strings of a history, to search for plaintext. */
function everything(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('latin1'));
  else if (value && typeof value === 'object') Object.values(value).forEach((c) => everything(c, out));
  return out;
}

test('history holds ciphertext, the run completes, and only a client with the key reads it', async () => {
  const secure = new FlowstateClient(new Client({ connection: env.connection, dataConverter }), {
    address: env.address,
    namespace: 'default',
    taskQueue: env.taskQueue,
  });
  const { workflowId } = await secure.start(definition, { card: SECRET });

  // Queries and updates go through the codec both ways.
  const state = await eventually(
    () => secure.state(workflowId),
    (s) => s.pending_gates.length === 1,
  );
  expect(state.pending_gates[0].output).toEqual({ note: `charge ${SECRET}` });
  await secure.decide(workflowId, {
    gate: 'draft',
    decision: 'approve',
    by: 'editor',
    comment: COMMENT_SECRET,
  });

  const result = await secure.result(workflowId);
  expect(result.output).toEqual({ note: `charge ${SECRET}`, approved: true });
  expect(result.decisions[0]).toMatchObject({ gate: 'draft', decided_by: 'editor', comment: COMMENT_SECRET });

  // The raw history, read without the codec.
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const found = payloadsIn(history.events);
  // Not user data, and never encoded: search attribute values (definition id, version, status, gate
  // names), the SDK's own local-activity marker bookkeeping (`details.data`: seq, activity id and
  // type, times) and its patch markers (`details.patch-data`: the id of a `patched()` change in the
  // interpreter, written by the SDK's core, which no codec sees). The local activity's result
  // (`details.result`) is user data and is checked.
  const bookkeeping =
    /searchAttributes|indexedFields|markerRecordedEventAttributes\.details\.(data|patch-data)\./;
  const data = found.filter((p) => !bookkeeping.test(p.path));
  const where = (re: RegExp) => data.filter((p) => re.test(p.path));
  // What must be there, encrypted: the run's input and result, the activity calls and their
  // directives, and the update's arguments and answer.
  expect(where(/workflowExecutionStartedEventAttributes\.input/).length).toBeGreaterThan(0);
  expect(where(/workflowExecutionCompletedEventAttributes\.result/).length).toBeGreaterThan(0);
  expect(where(/activityTaskScheduledEventAttributes\.input/).length).toBeGreaterThan(0);
  expect(where(/activityTaskCompletedEventAttributes\.result/).length).toBeGreaterThan(0);
  expect(where(/markerRecordedEventAttributes\.details\.result/).length).toBeGreaterThan(0);
  expect(
    where(/workflowExecutionUpdateAcceptedEventAttributes\.acceptedRequest\.input\.args/).length,
  ).toBeGreaterThan(0);
  expect(where(/workflowExecutionUpdateCompletedEventAttributes\.outcome\.success/).length).toBeGreaterThan(
    0,
  );
  const plain = data.filter((p) => p.encoding !== ENCRYPTED_ENCODING);
  expect(plain).toEqual([]);
  expect(new Set(data.map((p) => p.keyId))).toEqual(new Set(['test-key-1']));

  const text = everything(history.events).join('\n');
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(COMMENT_SECRET);
  expect(text).not.toContain('charge ');

  // Without the key, the result is unreadable.
  await expect(env.client.workflow.getHandle(workflowId).result()).rejects.toThrow(/binary\/encrypted/);
});
