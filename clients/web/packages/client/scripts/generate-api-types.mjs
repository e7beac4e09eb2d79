// Generates src/core/generated/openapi.ts from openapi/v1.json (the API's served document, written by
// scripts/update-openapi.sh) with openapi-typescript. test/openapiTypes.test.ts fails when the checked-in file is not
// what this produces, so the client's types cannot drift from the server.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const documentPath = fileURLToPath(new URL('../openapi/v1.json', import.meta.url));
export const typesPath = fileURLToPath(new URL('../src/core/generated/openapi.ts', import.meta.url));

const header = '// Generated from openapi/v1.json by scripts/generate-api-types.mjs (npm run generate:api). Do not edit.\n\n';

/** The TypeScript the document gives. */
export async function generateApiTypes() {
  const document = JSON.parse(await readFile(documentPath, 'utf8'));
  return header + astToString(await openapiTS(document, { exportType: false, alphabetize: false }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(typesPath, await generateApiTypes());
  console.log(`Wrote ${typesPath}`);
}
