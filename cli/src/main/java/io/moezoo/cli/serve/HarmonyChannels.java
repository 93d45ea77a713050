package io.moezoo.cli.serve;

import io.moezoo.hf.harmony.HarmonyParser;

/**
 * Splits a harmony chat reply (gpt-oss) into the chat API's fields: {@code content}, the final
 * channel, and {@code reasoning_content}, every other channel (the analysis, and commentary such as
 * preambles), piece by piece as the reply streams or whole.
 */
final class HarmonyChannels {

    /** Receives the reply's pieces. */
    interface Sink {
        /**
         * A piece of the reply.
         *
         * @param content a piece of the final channel, or null
         * @param reasoning a piece of another channel, or null (exactly one of the two is non-null)
         */
        void delta(String content, String reasoning);
    }

    /**
     * A whole reply, split.
     *
     * @param content the final channel's text
     * @param reasoning the other channels' text, or null when there is none
     */
    record Split(String content, String reasoning) {}

    private final HarmonyParser parser;

    /**
     * Starts a reply.
     *
     * @param sink receives its pieces
     */
    HarmonyChannels(Sink sink) {
        parser =
                new HarmonyParser(
                        (header, text) -> {
                            if (header.isFinal()) {
                                sink.delta(text, null);
                            } else {
                                sink.delta(null, text);
                            }
                        });
    }

    /**
     * Reads the next piece of the reply (decoded with its special tokens).
     *
     * @param piece the piece
     */
    void accept(String piece) {
        parser.accept(piece);
    }

    /** Ends the reply, passing on what was held back. */
    void finish() {
        parser.finish();
    }

    /**
     * Splits a whole reply.
     *
     * @param text the reply, decoded with its special tokens
     * @return its content and reasoning
     */
    static Split split(String text) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        HarmonyChannels channels =
                new HarmonyChannels(
                        (c, r) -> {
                            if (c != null) {
                                content.append(c);
                            } else {
                                reasoning.append(r);
                            }
                        });
        channels.accept(text);
        channels.finish();
        return new Split(content.toString(), reasoning.isEmpty() ? null : reasoning.toString());
    }
}
