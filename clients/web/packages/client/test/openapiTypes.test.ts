import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateApiTypes, typesPath } from '../scripts/generate-api-types.mjs';

// With OpenApiDocumentTests (the checked-in document is the served one), this keeps the client's types the server's.
it('the checked-in API types are what the checked-in OpenAPI document generates (scripts/update-openapi.sh)', async () => {
  expect(await readFile(typesPath, 'utf8')).toBe(await generateApiTypes());
});
