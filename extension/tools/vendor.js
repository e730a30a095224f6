#!/usr/bin/env node
/**
 * Copies the chat's third-party ES modules from node_modules into vendor/ with their licence files, so the
 * unpacked extension runs them without a bundler. Versions are pinned (exactly) in package.json's
 * devDependencies; run `npm run vendor` after changing them and commit vendor/.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nm = join(root, 'node_modules');
const out = join(root, 'vendor');

const PACKAGES = [
  { name: 'marked', files: [['lib/marked.esm.js', 'marked.esm.js'], ['LICENSE', 'marked.LICENSE.txt']] },
  { name: 'dompurify', files: [['dist/purify.es.mjs', 'purify.es.js'], ['LICENSE', 'dompurify.LICENSE.txt']] },
];

mkdirSync(out, { recursive: true });
const versions = {};
for (const p of PACKAGES) {
  const pkg = JSON.parse(readFileSync(join(nm, p.name, 'package.json'), 'utf8'));
  versions[p.name] = pkg.version;
  for (const [from, to] of p.files) copyFileSync(join(nm, p.name, from), join(out, to));
}
// .mjs is renamed .js: every browser serves .js from an extension as JavaScript.
// Source maps are not shipped; drop the comment that points at them so DevTools does not complain.
for (const f of ['marked.esm.js', 'purify.es.js']) {
  const path = join(out, f);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'));
}
writeFileSync(join(out, 'VERSIONS.json'), `${JSON.stringify(versions, null, 2)}\n`);
console.log(`vendored ${Object.entries(versions).map(([k, v]) => `${k}@${v}`).join(', ')} into vendor/`);
