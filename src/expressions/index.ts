/**
 * `{{ expression }}` templates holding JSONata: the template syntax and its one splitter, compiling
 * (cached, bounded, deterministic functions only), evaluating and rendering against a scope, and the
 * scope roots an expression reads. Used by the DSL (checks, compilation), the activity (rendering)
 * and orchestrators (their own template views); imports nothing of the project.
 */
export {
  expressionOf,
  hasTemplate,
  hasUnclosedTemplate,
  renderTemplate,
  splitTemplate,
  templateExpressions,
  wholeExpression,
  type TemplateParts,
} from './template';
export {
  compileExpression,
  expressionAst,
  EVALUATION_LIMITS,
  ExpressionError,
  functionsCalled,
  NONDETERMINISTIC_FUNCTIONS,
} from './compile';
export { evaluate, render } from './evaluate';
export { READS_ALL, readsOf } from './reads';
export { walk, type AstNode } from './ast';
export { FLOWSTATE_FUNCTIONS, JSONATA_FUNCTIONS, KNOWN_FUNCTIONS, RUNTIME_BINDINGS } from './functions';
export { unresolvedReferences, type ReferenceOptions, type Unresolved } from './references';
