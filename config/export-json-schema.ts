/** Writes config/experiment.schema.json (for editors: `# yaml-language-server: $schema=…`). */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ExperimentConfigSchema } from './schema';

export function experimentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ExperimentConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

if (require.main === module) {
  const out = path.join(__dirname, 'experiment.schema.json');
  writeFileSync(out, JSON.stringify(experimentJsonSchema(), null, 2) + '\n');
  console.log(`wrote ${out}`);
}
