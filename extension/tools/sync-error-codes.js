#!/usr/bin/env node
/**
 * The host's error codes have one source: host/src/main/java/io/llmcp/protocol/ErrorCodes.java. This writes
 * its mirror extension/lib/error-codes.js (same names, same numbers) and checks the "Error codes" table of
 * docs/PROTOCOL.md. `--check` writes nothing and exits 1 on any drift (the node and Maven tests do the same).
 *
 *   node tools/sync-error-codes.js          # regenerate lib/error-codes.js from ErrorCodes.java
 *   node tools/sync-error-codes.js --check  # fail if the mirror or the docs table drifted
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const JAVA_FILE = path.join(REPO, 'host/src/main/java/io/llmcp/protocol/ErrorCodes.java');
export const JS_FILE = path.join(REPO, 'extension/lib/error-codes.js');
export const DOCS_FILE = path.join(REPO, 'docs/PROTOCOL.md');

/** `[[name, code], …]` in declaration order from `public static final int NAME = -32xxx;` lines. */
export function parseJava(text) {
  return [...text.matchAll(/public\s+static\s+final\s+int\s+([A-Z][A-Z0-9_]*)\s*=\s*(-?\d+)\s*;/g)]
    .map((m) => [m[1], Number(m[2])]);
}

/** `[[name, code], …]` from the generated mirror's `NAME: -32xxx,` lines. */
export function parseJs(text) {
  const body = text.slice(text.indexOf('Object.freeze({'));
  return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*(-?\d+),$/gm)].map((m) => [m[1], Number(m[2])]);
}

/** `[[name, code], …]` from the rows `| -32700 | \`PARSE_ERROR\` | … |` of the "Error codes" section. */
export function parseDocs(text) {
  const start = text.indexOf('\n## Error codes');
  if (start < 0) return [];
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\|\s*(-?\d+)\s*\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => [m[2], Number(m[1])]);
}

export function render(codes) {
  const width = Math.max(...codes.map(([n]) => n.length));
  const lines = codes.map(([n, c]) => `  ${`${n}:`.padEnd(width + 1)} ${c},`);
  return `/**
 * The host's JSON-RPC error codes, under the names of host/src/main/java/io/llmcp/protocol/ErrorCodes.java.
 * GENERATED from that file by tools/sync-error-codes.js: do not edit, run \`node tools/sync-error-codes.js\`.
 * test/error-codes.test.js (and the host's ErrorCodesMirrorTest) fail when this, the Java class or the table
 * in docs/PROTOCOL.md drift apart.
 */
export const ErrorCodes = Object.freeze({
${lines.join('\n')}
});
`;
}

/** Differences between two `[[name, code]]` lists, as readable lines (empty when identical as sets). */
export function diff(expected, actual, label) {
  const out = [];
  const a = new Map(actual);
  const e = new Map(expected);
  for (const [n, c] of expected) {
    if (!a.has(n)) out.push(`${label}: ${n} (${c}) is missing`);
    else if (a.get(n) !== c) out.push(`${label}: ${n} is ${a.get(n)}, ErrorCodes.java says ${c}`);
  }
  for (const [n, c] of actual) if (!e.has(n)) out.push(`${label}: ${n} (${c}) is not in ErrorCodes.java`);
  return out;
}

function main() {
  const java = parseJava(readFileSync(JAVA_FILE, 'utf8'));
  if (!java.length) throw new Error(`no codes found in ${JAVA_FILE}`);
  const docsProblems = diff(java, parseDocs(readFileSync(DOCS_FILE, 'utf8')), 'docs/PROTOCOL.md');
  if (process.argv.includes('--check')) {
    const problems = [...diff(java, parseJs(readFileSync(JS_FILE, 'utf8')), 'extension/lib/error-codes.js'), ...docsProblems];
    for (const p of problems) console.error(p);
    process.exitCode = problems.length ? 1 : 0;
    return;
  }
  writeFileSync(JS_FILE, render(java));
  console.log(`wrote ${path.relative(REPO, JS_FILE)} (${java.length} codes)`);
  for (const p of docsProblems) console.error(`${p} — edit the table by hand`);
  if (docsProblems.length) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
