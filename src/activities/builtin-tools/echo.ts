import { z } from 'zod';
import { defineTool } from '../tools';

/** `echo`: returns its input unchanged. */
export const echoTool = defineTool({
  name: 'echo',
  description: 'Returns its input (the task’s `with`) unchanged.',
  input: z.unknown(),
  run: (input) => input ?? null,
});
