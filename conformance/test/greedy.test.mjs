// Runs transformers.js on every test model the host's `llmcp testmodel --suite` wrote and requires, for each case,
// the same prompt ids and the same greedy token ids as the host. The host's side comes from cases.json (written by
// the jar in-process); transformers.js is fed exactly as its text-generation pipeline feeds a model:
// plain prompts get the tokenizer's special tokens only when tokenizer_config.json's add_bos_token or
// add_eos_token is true, chats are rendered with the model's chat template and encoded without special tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, AutoTokenizer, AutoModelForCausalLM, Tensor } from '@huggingface/transformers';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = process.env.LLMCP_JAR ?? path.resolve(here, '../../host/target/llmcp-host.jar');

function suiteDir() {
  if (process.env.LLMCP_SUITE_DIR && existsSync(path.join(process.env.LLMCP_SUITE_DIR, 'cases.json'))) {
    return process.env.LLMCP_SUITE_DIR;
  }
  if (!existsSync(jar)) throw new Error(`no host jar at ${jar}: build it with (cd host && mvn -q package -DskipTests)`);
  const dir = process.env.LLMCP_SUITE_DIR ?? mkdtempSync(path.join(tmpdir(), 'llmcp-conformance-'));
  execFileSync('java', ['-jar', jar, 'testmodel', '--suite', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

const dir = suiteDir();
const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.join(dir, 'models') + path.sep;

const byModel = new Map();
for (const c of cases) {
  if (!byModel.has(c.model)) byModel.set(c.model, []);
  byModel.get(c.model).push(c);
}

for (const [model, list] of byModel) {
  test(`${model}: transformers.js gives the host's greedy tokens`, async (t) => {
    const tokenizer = await AutoTokenizer.from_pretrained(model);
    const lm = await AutoModelForCausalLM.from_pretrained(model, { dtype: list[0].dtype, device: 'cpu' });
    try {
      for (const c of list) {
        const label = `${c.kind} ${c.kind === 'prompt' ? JSON.stringify(c.prompt) : JSON.stringify(c.messages.map((m) => m.role))}`
          + (c.enableThinking === undefined ? '' : ` enable_thinking=${c.enableThinking}`);
        let text;
        let addSpecial;
        if (c.kind === 'prompt') {
          text = c.prompt;
          addSpecial = tokenizer.add_bos_token || tokenizer.add_eos_token || false;
        } else {
          const kwargs = c.enableThinking === undefined ? {} : { enable_thinking: c.enableThinking };
          text = tokenizer.apply_chat_template(c.messages, { tokenize: false, add_generation_prompt: true, ...kwargs });
          assert.equal(c.rendered, text, `${model} ${label}: rendered chat`);
          addSpecial = false;
        }
        const ids = Array.from(tokenizer.encode(text, { add_special_tokens: addSpecial }));
        assert.deepEqual(c.promptIds, ids, `${model} ${label}: prompt ids`);
        const input = new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
        const mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
        const out = await lm.generate({ input_ids: input, attention_mask: mask, max_new_tokens: c.maxNewTokens, do_sample: false });
        const generated = Array.from(out.data).slice(ids.length).map(Number);
        assert.deepEqual(c.hostIds, generated, `${model} ${label}: greedy ids`);
        t.diagnostic(`${label}: ${generated.length} tokens equal`);
      }
    } finally {
      await lm.dispose();
    }
  });
}
