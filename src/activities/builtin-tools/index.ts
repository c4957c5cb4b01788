import { echoTool } from './echo';
import { httpTool } from './http';

/** Tools every worker has. */
export const builtinTools = [echoTool, httpTool];
