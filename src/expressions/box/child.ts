/**
 * The evaluator process: answers `BoxRequest`s from the worker (over IPC) with the value or the error,
 * under the box's limits: JSONata's own time limit, the bounded functions, and the size of the result.
 * The time limit on regular expressions and the memory limit are enforced from outside (the pool kills
 * it; `--max-old-space-size`). It ends with its parent.
 */
import { ExpressionError } from '../compile';
import { evaluateHere } from '../evaluate';
import { boxLimits, limitVariable } from './limits';
import type { BoxReply, BoxRequest } from './pool';

// The pool passes its limits in the environment (FLOWSTATE_EXPR_*).
const limits = boxLimits();

process.on('message', (request: BoxRequest) => {
  void answer(request).then((reply) => process.send!(reply));
});
process.on('disconnect', () => process.exit(0));
// Compile something once, so the first request does not pay for loading JSONata and the bindings.
void evaluateHere('1', {}, limits).then(() => process.send!({ ready: true }));

async function answer({ id, text, scope }: BoxRequest): Promise<BoxReply> {
  try {
    const value = await evaluateHere(text, scope, limits);
    const size = sizeOf(value);
    if (size > limits.maxResultBytes) {
      const knob = limitVariable('maxResultBytes');
      return {
        id,
        error: {
          message:
            `expression result is ${Number.isFinite(size) ? size : 'more than 512 MB'} bytes as JSON, over the result size limit of ` +
            `${limits.maxResultBytes} bytes (${knob}): '${text}'. Keep large data in a tool and pass a ` +
            `reference, or raise ${knob}`,
          code: 'ResultSizeLimit',
        },
      };
    }
    return { id, value };
  } catch (e) {
    const err = e instanceof ExpressionError ? e : new ExpressionError(String(e), text);
    return { id, error: { message: err.message, position: err.position, code: err.code } };
  }
}

/** Bytes of the value as JSON; Infinity past what a string can hold. */
function sizeOf(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? 'null');
  } catch (e) {
    if (e instanceof RangeError) return Infinity;
    throw e;
  }
}
