import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ErrorCodes } from '../lib/error-codes.js';
import { ErrorCodes as ReExported } from '../lib/errors.js';
import { JAVA_FILE, JS_FILE, DOCS_FILE, parseJava, parseJs, parseDocs, render, diff } from '../tools/sync-error-codes.js';

const java = parseJava(readFileSync(JAVA_FILE, 'utf8'));

test('ErrorCodes.java is parsed: every host code, all distinct', () => {
  assert.ok(java.length >= 20, `only ${java.length} codes found`);
  assert.equal(new Set(java.map(([, c]) => c)).size, java.length, 'two names share a code');
  assert.ok(java.some(([n, c]) => n === 'INTERNAL_ERROR' && c === -32603));
});

test('lib/error-codes.js has exactly the names and codes of ErrorCodes.java (run tools/sync-error-codes.js)', () => {
  assert.deepEqual(Object.entries(ErrorCodes), java);
  assert.deepEqual(diff(java, parseJs(readFileSync(JS_FILE, 'utf8')), 'mirror'), []);
  assert.equal(readFileSync(JS_FILE, 'utf8'), render(java), 'the mirror is not what the generator writes');
  assert.equal(ReExported, ErrorCodes, 'errors.js re-exports the mirror, not a copy');
});

test("docs/PROTOCOL.md's Error codes table lists every code under its name, and nothing else", () => {
  const docs = parseDocs(readFileSync(DOCS_FILE, 'utf8'));
  assert.deepEqual(diff(java, docs, 'docs'), []);
  assert.equal(docs.length, java.length, 'a code is listed twice');
});

test('drift is detected: a renamed, renumbered, missing or extra code', () => {
  const drifted = java.map(([n, c]) => (n === 'BUSY' ? ['BUSY_NOW', c] : n === 'CANCELLED' ? [n, -1] : [n, c]))
    .filter(([n]) => n !== 'NOT_FOUND');
  const problems = diff(java, drifted, 'x');
  assert.ok(problems.some((p) => /BUSY \(-32050\) is missing/.test(p)));
  assert.ok(problems.some((p) => /BUSY_NOW .* not in ErrorCodes.java/.test(p)));
  assert.ok(problems.some((p) => /CANCELLED is -1/.test(p)));
  assert.ok(problems.some((p) => /NOT_FOUND \(-32004\) is missing/.test(p)));
});
