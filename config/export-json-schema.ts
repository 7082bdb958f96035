/**
 * Writes config/experiment.schema.json (for editors: `# yaml-language-server: $schema=…`) and
 * workflows/config.schema.json: the validated (output) form the workflows check their messages against
 * without zod (workflows/messages.ts).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ExperimentConfigSchema } from './schema';

export function experimentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ExperimentConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The parsed config's schema (every defaulted field required), without annotations: what a workflow accepts. */
export function validatedConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ExperimentConfigSchema, { io: 'output', unrepresentable: 'any' });
  return JSON.parse(JSON.stringify(schema, (key, value) => (['$schema', 'default', 'description'].includes(key) ? undefined : value)));
}

if (require.main === module) {
  for (const [out, schema] of [
    [path.join(__dirname, 'experiment.schema.json'), experimentJsonSchema()],
    [path.join(__dirname, '..', 'workflows', 'config.schema.json'), validatedConfigJsonSchema()],
  ] as const) {
    writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
    console.log(`wrote ${out}`);
  }
}
