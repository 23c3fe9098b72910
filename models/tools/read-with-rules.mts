// Prints the rule parser's stated values for every case of a held-out file, as JSON, using the parser of
// the checkout given as the first argument (an older commit's, for first-readings.ts).
//   node --import tsx models/tools/read-with-rules.mts CHECKOUT FIXTURE.json
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, file] = process.argv.slice(2);
if (!root || !file) throw new Error('usage: read-with-rules.mts CHECKOUT FIXTURE.json');
const parser = await import(pathToFileURL(resolve(root, 'electron/shared/instructions/parse.ts')).href);
const read = parser.parseRules ?? parser.parseInstruction;
const cases = JSON.parse(readFileSync(file, 'utf8')).cases as { text: string }[];
console.log(JSON.stringify(cases.map((c) => parser.statedValues(read(c.text)))));
