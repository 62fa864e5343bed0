import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCHEMAS_BY_CONTRACT } from '../scripts/write-schemas.ts';

const schemaRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');

test('the committed schema files of every contract are the ones the build writes', () => {
  for (const [contract, schemas] of Object.entries(SCHEMAS_BY_CONTRACT)) {
    for (const [name, schema] of Object.entries(schemas)) {
      const written = JSON.parse(readFileSync(join(schemaRoot, contract, `${name}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      const { $schema, title, ...body } = written;
      assert.equal($schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(title, `${contract} ${name}`);
      assert.deepEqual(
        body,
        JSON.parse(JSON.stringify(schema)),
        `schema/${contract}/${name}.json is stale: run npm run build:contracts`,
      );
    }
  }
});
