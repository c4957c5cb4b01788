/** The definition language: load, check, compile, export as JSON Schema, draw. */
export {
  loadDefinition,
  loadDefinitionText,
  pinDefinitions,
  compileOrThrow,
  type LoadResult,
} from './loader';
export { decodeUtf8 } from './source';
export { DefinitionError, formatDiagnostic, type Diagnostic, type Severity } from './diagnostics';
export { documentSchema, taskSchema, type TaskDocument, type WorkflowDocument } from './schema';
export { definitionJsonSchema, definitionJsonSchemaText } from './json-schema';
export { toMermaid } from './graph';
export { validateFiles, graphFile, schemaText, type CommandResult } from './commands';
export { canonicalJson, definitionHash, SCOPE_ROOTS, EXECUTION_DEFAULTS, OUTPUT_TASK_ID } from './compile';
export type {
  CompiledDefinition,
  CompiledTask,
  CompiledExecution,
  CompiledAcceptance,
  CompiledRetry,
} from '../contract/compiled';
