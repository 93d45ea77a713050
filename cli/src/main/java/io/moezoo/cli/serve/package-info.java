/**
 * {@code moe-zoo serve}: an OpenAI-compatible HTTP server ({@code /v1/models}, {@code
 * /v1/completions}, {@code /v1/chat/completions}) over one loaded language model.
 */
package io.moezoo.cli.serve;
