// Writes the JSON Schema of every contract message to contracts-cosmwasm/schema/<contract>/<message>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { governanceSchemas } from '../client/governance-schema.ts';
import { registrySchemas } from '../client/registry-schema.ts';

export const SCHEMAS_BY_CONTRACT = { registry: registrySchemas, governance: governanceSchemas };

export function writeSchemas(schemaDir: string): string[] {
  const written: string[] = [];
  for (const [contract, schemas] of Object.entries(SCHEMAS_BY_CONTRACT)) {
    mkdirSync(join(schemaDir, contract), { recursive: true });
    for (const [name, schema] of Object.entries(schemas)) {
      const document = { $schema: 'http://json-schema.org/draft-07/schema#', title: `${contract} ${name}`, ...schema };
      writeFileSync(join(schemaDir, contract, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
      written.push(`${contract}/${name}.json`);
    }
  }
  return written;
}
