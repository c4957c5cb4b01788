/** The one error of expressions: one that does not parse, is refused, or fails while evaluating. */

/** Thrown for an expression that does not parse or fails while evaluating. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly expression: string,
    /** Character offset in the expression, when JSONata gives one. */
    readonly position?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * An error JSONata threw for `text`, as an `ExpressionError` naming the expression. An
 * `ExpressionError` thrown inside `$eval` (JSONata wraps it, code D3121) comes out as itself, so a
 * banned function reached that way keeps its code.
 */
export function toExpressionError(e: unknown, text: string): ExpressionError {
  if (e instanceof ExpressionError) return e;
  const err = e as { message?: string; position?: number; code?: string; error?: unknown };
  for (let inner = err.error, depth = 0; inner && depth < 10; depth++) {
    if (inner instanceof ExpressionError)
      return new ExpressionError(`${inner.message} in '${text}'`, text, err.position, inner.code);
    inner = (inner as { error?: unknown }).error;
  }
  const where = err.position !== undefined ? ` at character ${err.position}` : '';
  return new ExpressionError(
    `${err.message ?? String(e)}${where} in '${text}'`,
    text,
    err.position,
    err.code,
  );
}
