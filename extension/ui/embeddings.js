/** Pairwise similarity of embedding vectors, for the built-in embedding model's "try it" card. */

export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Every pair `{i, j, score}` (i < j), most similar first. */
export function pairwiseSimilarities(vectors) {
  const pairs = [];
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) pairs.push({ i, j, score: cosine(vectors[i], vectors[j]) });
  }
  return pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
}

/** The sentences from the text area: one per line, blanks dropped, at most `max`. */
export function sentencesFrom(text, max = 8) {
  return String(text).split('\n').map((s) => s.trim()).filter(Boolean).slice(0, max);
}
