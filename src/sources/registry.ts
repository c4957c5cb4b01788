/**
 * Source parsers by name, so a run definition can say `parser: spec-tasks` and the engine finds the
 * parser without naming its module.
 */
import { SpecTasksParser } from './spec-tasks';
import type { SourceParser } from './types';

const parsers = new Map<string, SourceParser>([['spec-tasks', new SpecTasksParser()]]);

/** Registers a parser under its `name`; a later one of the same name replaces the earlier. */
export function registerSourceParser(parser: SourceParser): void {
  parsers.set(parser.name, parser);
}

/** The parser registered under `name`, or undefined. */
export function findSourceParser(name: string): SourceParser | undefined {
  return parsers.get(name);
}

/** Names of the registered parsers, in registration order. */
export function sourceParserNames(): string[] {
  return [...parsers.keys()];
}
