import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosine, pairwiseSimilarities, sentencesFrom } from '../ui/embeddings.js';

test('pairwise cosine similarities, most similar first', () => {
  assert.equal(cosine([1, 0], [1, 0]), 1);
  assert.equal(cosine([1, 0], [0, 1]), 0);
  assert.equal(cosine([0, 0], [1, 1]), 0);
  const pairs = pairwiseSimilarities([[1, 0], [0.9, 0.1], [0, 1]]);
  assert.deepEqual(pairs.map((p) => [p.i, p.j]), [[0, 1], [1, 2], [0, 2]]);
  assert.ok(pairs[0].score > 0.99);
  assert.equal(pairwiseSimilarities([[1]]).length, 0);
});

test('sentences: one per line, blanks dropped, capped', () => {
  assert.deepEqual(sentencesFrom(' a \n\n b\n'), ['a', 'b']);
  assert.equal(sentencesFrom(Array.from({ length: 20 }, (_, i) => `s${i}`).join('\n')).length, 8);
});
