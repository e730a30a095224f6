/**
 * Known-good models. Sizes are the approximate download (model file + tokenizer/config files) as listed
 * by the repositories; the host reports exact sizes once it has fetched them.
 */
const MB = 1_000_000;
const GB = 1_000_000_000;
const HF = 'https://huggingface.co';

/** Tokenizer and config files the host fetches besides the named ones (404 tolerated). */
export const COMPANION_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json'];

export const CATALOG = Object.freeze([
  {
    modelId: 'smollm2-135m-instruct',
    name: 'SmolLM2 135M Instruct',
    kind: 'chat',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    url: `${HF}/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 205 * MB,
    parameters: '135M',
    quantization: 'q4',
    license: 'Apache-2.0',
    description: 'Tiny and fast; fine for trying the panel out, weak at facts.',
  },
  {
    modelId: 'smollm2-360m-instruct',
    name: 'SmolLM2 360M Instruct',
    kind: 'chat',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    url: `${HF}/HuggingFaceTB/SmolLM2-360M-Instruct/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 422 * MB,
    parameters: '360M',
    quantization: 'q4',
    license: 'Apache-2.0',
    description: 'Small, quick on CPU, noticeably better than 135M.',
  },
  {
    modelId: 'qwen2.5-0.5b-instruct',
    name: 'Qwen2.5 0.5B Instruct',
    kind: 'chat',
    repo: 'onnx-community/Qwen2.5-0.5B-Instruct',
    url: `${HF}/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 800 * MB,
    parameters: '0.5B',
    quantization: 'q4',
    license: 'Apache-2.0',
    description: 'Multilingual, good instruction following for its size.',
  },
  {
    modelId: 'qwen3-0.6b',
    name: 'Qwen3 0.6B',
    kind: 'chat',
    repo: 'onnx-community/Qwen3-0.6B-ONNX',
    url: `${HF}/onnx-community/Qwen3-0.6B-ONNX/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 920 * MB,
    parameters: '0.6B',
    quantization: 'q4',
    license: 'Apache-2.0',
    description: 'Thinks before answering unless thinking is switched off; multilingual.',
  },
  {
    modelId: 'gemma-3-1b-it',
    name: 'Gemma 3 1B IT',
    kind: 'chat',
    repo: 'onnx-community/gemma-3-1b-it-ONNX',
    url: `${HF}/onnx-community/gemma-3-1b-it-ONNX/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 1_600 * MB,
    parameters: '1B',
    quantization: 'q4',
    license: 'Gemma Terms of Use',
    description: 'Google\'s small Gemma 3; good writing for its size, 32K context.',
  },
  {
    modelId: 'llama-3.2-1b-instruct',
    name: 'Llama 3.2 1B Instruct',
    kind: 'chat',
    repo: 'onnx-community/Llama-3.2-1B-Instruct',
    url: `${HF}/onnx-community/Llama-3.2-1B-Instruct/resolve/main/`,
    modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json',
    size: 1_680 * MB,
    parameters: '1.2B',
    quantization: 'q4',
    license: 'Llama 3.2 Community License',
    description: 'Strong small general model; the license must be accepted.',
  },
  {
    modelId: 'phi-3.5-mini-instruct',
    name: 'Phi-3.5 mini Instruct',
    kind: 'chat',
    repo: 'onnx-community/Phi-3.5-mini-instruct-onnx-web',
    url: `${HF}/onnx-community/Phi-3.5-mini-instruct-onnx-web/resolve/main/`,
    modelFileName: 'onnx/model_q4f16.onnx',
    modelExDataFileName: 'onnx/model_q4f16.onnx_data',
    configFileName: 'config.json',
    size: 2.33 * GB,
    parameters: '3.8B',
    quantization: 'q4f16 (external data)',
    license: 'MIT',
    description: 'The most capable here; 2.3 GB with external weights, best with CUDA.',
  },
  {
    modelId: 'smollm3-3b',
    name: 'SmolLM3 3B',
    kind: 'chat',
    repo: 'HuggingFaceTB/SmolLM3-3B-ONNX',
    url: `${HF}/HuggingFaceTB/SmolLM3-3B-ONNX/resolve/main/`,
    modelFileName: 'onnx/model_q4f16.onnx',
    modelExDataFileName: 'onnx/model_q4f16.onnx_data',
    configFileName: 'config.json',
    size: 2.1 * GB,
    parameters: '3B',
    quantization: 'q4f16 (external data)',
    license: 'Apache-2.0',
    description: 'Fully open 3B with optional thinking (/think, /no_think); 64K context, six languages.',
  },
  {
    modelId: 'all-minilm-l6-v2',
    name: 'all-MiniLM-L6-v2 (embeddings)',
    kind: 'embedding',
    builtIn: true,
    repo: 'sentence-transformers/all-MiniLM-L6-v2',
    url: '',
    modelFileName: 'all-minilm-l6-v2.onnx',
    configFileName: 'all-minilm-l6-v2-tokenizer.json',
    size: 90 * MB,
    parameters: '22M',
    quantization: 'fp32',
    license: 'Apache-2.0',
    description: 'Built into the host: 384-dimension sentence embeddings, no download needed.',
  },
]);

/** The files a catalog entry brings, for display. */
export function catalogFiles(entry) {
  if (entry.builtIn) return [entry.modelFileName, entry.configFileName];
  const files = [entry.modelFileName];
  if (entry.modelExDataFileName) files.push(entry.modelExDataFileName);
  for (const f of COMPANION_FILES) if (!files.includes(f)) files.push(f);
  return files;
}

/** The ModelConfig (protocol shape) of a catalog entry. */
export function catalogConfig(entry) {
  const config = {
    modelId: entry.modelId,
    name: entry.name,
    url: entry.url,
    size: Math.round(entry.size),
    modelFileName: entry.modelFileName,
    configFileName: entry.configFileName,
  };
  if (entry.modelExDataFileName) config.modelExDataFileName = entry.modelExDataFileName;
  return config;
}

export function findCatalogEntry(modelId) {
  return CATALOG.find((e) => e.modelId === modelId);
}
