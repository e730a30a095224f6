/**
 * What the Models tab's search does with `models.search` results (docs/PROTOCOL.md): which variant to offer first
 * and the ModelConfig that pulls the chosen one. Pure functions, so node tests cover them.
 */
import { suggestModelId, DEFAULT_CONFIG_FILE } from './validate.js';

/** Preferred dtypes, best first: small and quick on a CPU, then better quality, full precision last. */
const PREFERENCE = ['q4f16', 'q4', 'q8', 'int8', 'uint8', 'bnb4', 'fp16', 'fp32'];

/** The variant to preselect: the preferred one that fits in memory, else the smallest. */
export function defaultVariant(result) {
  const variants = result?.variants ?? [];
  if (!variants.length) return null;
  const rank = (v) => { const i = PREFERENCE.indexOf(v.dtype); return i < 0 ? PREFERENCE.length : i; };
  const fitting = variants.filter((v) => v.fits).sort((a, b) => rank(a) - rank(b));
  if (fitting.length) return fitting[0];
  return [...variants].sort((a, b) => a.bytes - b.bytes)[0];
}

/** The ModelConfig that pulls `variant` of the repo found: id and name say which variant it is. */
export function configForVariant(result, variant) {
  const base = suggestModelId(result.url);
  const repoName = result.repo.split('/').pop();
  return {
    modelId: variant.dtype === 'fp32' ? base : `${base}-${variant.dtype}`,
    name: `${repoName} (${variant.dtype})`,
    url: result.url,
    modelFileName: variant.modelFileName,
    configFileName: DEFAULT_CONFIG_FILE,
    size: variant.totalBytes,
  };
}
