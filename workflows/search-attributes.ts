/**
 * Custom search attributes: the Web UI filters and lists experiments by these
 * (e.g. `DaggerExperiment = "default-…" AND DaggerIteration >= 2`). The embedded server registers them at
 * start (cli/embedded-server.ts); on another cluster register each once, as an operator, with
 * `temporal operator search-attribute create --namespace <ns> --name <name> --type <type>` (the names and types
 * are SEARCH_ATTRIBUTE_SPECS below).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  experiment: defineSearchAttributeKey('DaggerExperiment', SearchAttributeType.KEYWORD),
  algorithm: defineSearchAttributeKey('DaggerAlgorithm', SearchAttributeType.KEYWORD),
  iteration: defineSearchAttributeKey('DaggerIteration', SearchAttributeType.INT),
  beta: defineSearchAttributeKey('DaggerBeta', SearchAttributeType.DOUBLE),
  success: defineSearchAttributeKey('DaggerSuccess', SearchAttributeType.DOUBLE),
  sweep: defineSearchAttributeKey('DaggerSweep', SearchAttributeType.KEYWORD),
} as const;

/** `--search-attribute NAME=Type` arguments for `temporal server start-dev` / `operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_SPECS: [string, string][] = [
  ['DaggerExperiment', 'Keyword'],
  ['DaggerAlgorithm', 'Keyword'],
  ['DaggerIteration', 'Int'],
  ['DaggerBeta', 'Double'],
  ['DaggerSuccess', 'Double'],
  ['DaggerSweep', 'Keyword'],
];
