/**
 * Chat templates: a model's Jinja chat template rendered the way transformers' {@code apply_chat_template}
 * (and transformers.js) render it, on Jinjava.
 *
 * <p>Use: {@code ChatTemplate.fromModelFiles(tokenizerConfigJson, chatTemplateJinjaOrNull, nameOrNull)} once per
 * model (it parses and checks the template), then {@code render(messages, addGenerationPrompt, extraVars)} per
 * request; {@link io.llmcp.template.Message#listFromJson} turns a request's {@code messages} into
 * messages. The rendered prompt already holds the special tokens the template writes ({@code bos_token}...), so
 * tokenize it without adding special tokens again.
 *
 * <p>Conformance: the shared corpus ({@code ../shared/chat-templates}, 8 real templates x 6 cases) matches
 * {@code @huggingface/jinja} byte for byte; further cases in {@code src/test/resources/chat-templates} match Python
 * Jinja2 set up like transformers. Known differences: {@code is none} is also true for undefined values;
 * Jinjava's own {@code select}/{@code selectattr} still treat the string "false" as falsy; a closing double brace
 * directly inside an expression (a nested dict literal written without a space between its braces) ends the
 * expression early.
 */
package io.llmcp.template;
