// Renders the chat-template conformance cases with the reference engine, @huggingface/jinja (the Jinja engine
// transformers.js uses; its `new Template(text)` defaults match how transformers sets up Jinja2: trim_blocks,
// lstrip_blocks, one trailing newline of the template dropped), and writes the results to expected.json.
//
// Inputs and output live in ../resources/chat-templates/conformance/ (cases.json + *.jinja -> expected.json),
// where the Java test ChatTemplateReferenceTest reads them from the classpath.
//
// Regenerate after editing a template or cases.json, and commit expected.json:
//   cd host/src/test/template-cases && npm ci && node generate.mjs
// The engine version is pinned exactly in package.json / package-lock.json.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "..", "resources", "chat-templates", "conformance");
const spec = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8"));
const expected = {};
let renderings = 0;
let errors = 0;

for (const [name, t] of Object.entries(spec.templates)) {
  let template;
  try {
    template = new Template(readFileSync(join(dir, t.file), "utf8"));
  } catch (e) {
    throw new Error(`${t.file} does not parse: ${e.message}`); // every template must parse
  }
  expected[name] = {};
  for (const [caseName, c] of Object.entries(t.cases)) {
    const messages = spec.conversations[c.conversation];
    if (!messages) throw new Error(`${name}/${caseName}: no conversation ${c.conversation}`);
    const variables = {
      ...t.variables,
      ...(c.variables ?? {}),
      messages: structuredClone(messages),
      add_generation_prompt: c.add_generation_prompt,
      // raise_exception is predefined by @huggingface/jinja: it throws an Error whose message is its argument.
    };
    try {
      expected[name][caseName] = template.render(variables);
    } catch (e) {
      expected[name][caseName] = { error: String(e.message) };
      errors++;
    }
    renderings++;
  }
}

writeFileSync(join(dir, "expected.json"), JSON.stringify(expected, null, 1) + "\n");
console.log(`${Object.keys(spec.templates).length} templates, ${renderings} renderings (${errors} raise an error)`);
