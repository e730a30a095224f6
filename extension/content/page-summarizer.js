/**
 * `Summarizer` (the Summarizer API) in the page's own world, on the same path as LanguageModel: the same consent,
 * the same model, and one generate request per summary whose instructions say what kind of summary to write.
 * Where the browser has its own Summarizer, ours answers unless the browser's says "available" or the user
 * prefers local models. Last of the MAIN-world scripts: it removes the core's temporary global.
 */
(() => {
  const core = globalThis.__llmcpPageCore;
  // The page must never reach the core: the scripts that needed it have run (manifest order).
  delete globalThis.__llmcpPageCore;
  if (!core) return;
  const { call, domError, abortError, quotaError, languages, enumOption, progressMonitor, estimate, useNative, define, textStream } = core;
  const native = globalThis.Summarizer;
  const TYPES = ['key-points', 'tldr', 'tl;dr', 'teaser', 'headline'];
  const FORMATS = ['markdown', 'plain-text'];
  const LENGTHS = ['short', 'medium', 'long'];
  const constructorKey = Symbol('Summarizer');

  /** What each type and length asks of the model, after the sizes Chrome documents for its built-in summarizer. */
  const SHAPES = {
    'key-points': { short: 'exactly 3 bullet points', medium: 'at most 5 bullet points', long: 'at most 7 bullet points' },
    tldr: { short: 'one sentence', medium: 'at most three sentences', long: 'at most five sentences' },
    teaser: { short: 'one sentence', medium: 'at most three sentences', long: 'at most five sentences' },
    headline: { short: 'a headline of at most 12 words', medium: 'a headline of at most 17 words', long: 'a headline of at most 22 words' },
  };
  const PURPOSE = {
    'key-points': 'the key points of the text',
    tldr: 'a short overview of the text, for a reader in a hurry',
    teaser: 'an intriguing teaser that makes the reader want to read the text',
    headline: 'the central point of the text as an article headline',
  };
  /** Answer sizes in tokens: enough for the shape asked, and a bound on how long a summary can take. */
  const MAX_TOKENS = { short: 128, medium: 256, long: 512 };

  /** The options every entry point accepts, checked as WebIDL would (unknown enum values are TypeErrors). */
  function settings(options = {}) {
    const type = enumOption(options.type, TYPES, 'key-points', 'type');
    return {
      type,
      format: enumOption(options.format, FORMATS, 'markdown', 'format'),
      length: enumOption(options.length, LENGTHS, 'short', 'length'),
      expectedInputLanguages: languages(options.expectedInputLanguages, 'expectedInputLanguages'),
      expectedContextLanguages: languages(options.expectedContextLanguages, 'expectedContextLanguages'),
      outputLanguage: options.outputLanguage === undefined || options.outputLanguage === null ? null
        : languages([options.outputLanguage], 'outputLanguage')[0],
    };
  }

  /** The system prompt for one summary. */
  function instructions(s, sharedContext, context) {
    const kind = s.type === 'tl;dr' ? 'tldr' : s.type;
    const lines = [
      `You summarize text. Write ${PURPOSE[kind]}: ${SHAPES[kind][s.length]}.`,
      s.format === 'markdown' ? (kind === 'key-points' ? 'Use a Markdown list ("- ").' : 'You may use Markdown.')
        : 'Write plain text: no Markdown, no list markers.',
      'Answer with the summary only, nothing before or after it.',
    ];
    if (s.outputLanguage) lines.push(`Write in the language with the BCP 47 tag "${s.outputLanguage}".`);
    if (sharedContext) lines.push(`Background for every text: ${sharedContext}`);
    if (context) lines.push(`Background for this text: ${context}`);
    return lines.join('\n');
  }

  class Summarizer {
    #model;
    #settings;
    #sharedContext;
    #inputQuota;
    #destroyed = false;
    #controller = new AbortController();

    constructor(key, state) {
      if (key !== constructorKey) throw new TypeError('Illegal constructor: use Summarizer.create()');
      this.#model = state.model;
      this.#settings = state.settings;
      this.#sharedContext = state.sharedContext;
      this.#inputQuota = state.inputQuota;
    }

    static async availability(options = {}) {
      settings(options);
      if (await useNative(native, options)) return native.availability(options);
      return call('availability', {});
    }

    static async create(options = {}) {
      const { signal } = options;
      if (signal?.aborted) throw abortError(signal);
      const s = settings(options);
      if (await useNative(native, options)) return native.create(options);
      const progress = progressMonitor(options.monitor, signal);
      progress(0);
      const created = await call('create', {}, { signal, onProgress: progress });
      progress(1);
      return new Summarizer(constructorKey, {
        model: created.model, settings: s, sharedContext: String(options.sharedContext ?? ''),
        inputQuota: created.contextWindow,
      });
    }

    get type() { return this.#settings.type; }
    get format() { return this.#settings.format; }
    get length() { return this.#settings.length; }
    get sharedContext() { return this.#sharedContext; }
    get expectedInputLanguages() { return this.#settings.expectedInputLanguages; }
    get expectedContextLanguages() { return this.#settings.expectedContextLanguages; }
    get outputLanguage() { return this.#settings.outputLanguage; }
    get inputQuota() { return this.#inputQuota; }

    #messages(input, options) {
      return [
        { role: 'system', content: instructions(this.#settings, this.#sharedContext, options.context ? String(options.context) : '') },
        { role: 'user', content: String(input) },
      ];
    }

    #check(signal) {
      if (this.#destroyed) throw domError('InvalidStateError', 'the summarizer was destroyed');
      if (signal?.aborted) throw abortError(signal);
    }

    /** One summary; `onChunk` gets the text as it streams. Empty input is an empty summary, without the model. */
    async #summarize(input, options, onChunk) {
      const signal = options.signal ? AbortSignal.any([options.signal, this.#controller.signal]) : this.#controller.signal;
      this.#check(signal);
      if (String(input).trim() === '') return '';
      const messages = this.#messages(input, options);
      // Room for the answer as the host keeps it: the answer's size, at most a quarter of the context.
      const used = estimate(messages) + Math.min(MAX_TOKENS[this.#settings.length], Math.floor(this.#inputQuota / 4));
      if (used > this.#inputQuota) throw quotaError('the text is too long for this model\'s context window', used, this.#inputQuota);
      const params = { temperature: 0, maxNewTokens: MAX_TOKENS[this.#settings.length] };
      const result = await call('prompt', { model: this.#model, messages, params }, { signal, onChunk });
      return result.text;
    }

    async summarize(input, options = {}) {
      return this.#summarize(input, options);
    }

    summarizeStreaming(input, options = {}) {
      return textStream(options, (opts, onChunk) => this.#summarize(input, opts, onChunk));
    }

    async measureInputUsage(input, options = {}) {
      this.#check(options.signal);
      return estimate(this.#messages(input, options));
    }

    destroy() {
      if (this.#destroyed) return;
      this.#destroyed = true;
      this.#controller.abort(domError('InvalidStateError', 'the summarizer was destroyed'));
    }
  }

  define('Summarizer', Summarizer);
})();
