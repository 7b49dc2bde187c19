// Parse AsyncAPI documents with the AsyncAPI project's own parser; print one JSON line per
// document: {file, ok, errors, warnings}. Copied next to the installed parser by the test.
import { Parser } from '@asyncapi/parser';
import fs from 'node:fs';

const parser = new Parser();
const said = (d) => `${d.message} at ${d.path.join('/')}`;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(fs.readFileSync(file, 'utf8'));
  const errors = diagnostics.filter((d) => d.severity === 0).map(said);
  const warnings = diagnostics.filter((d) => d.severity === 1).map(said);
  console.log(JSON.stringify({ file, ok: Boolean(document) && errors.length === 0, errors, warnings }));
}
