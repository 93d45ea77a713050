package io.moezoo.hf.harmony;

/**
 * The named special tokens of the harmony format, with their ids in OpenAI's {@code o200k_harmony}
 * encoding (the ids of gpt-oss's {@code tokenizer.json}; ids between them are {@code
 * <|reserved_N|>} tokens). A checkpoint's tokenizer is the authority on the ids it uses: callers
 * that need an id from a tokenizer encode {@link #text()}.
 */
public enum HarmonyToken {
    /** The beginning of a text (gpt-oss's BOS). */
    START_OF_TEXT("<|startoftext|>", 199998),
    /** The end of a text (the base model's EOS, and the padding). */
    END_OF_TEXT("<|endoftext|>", 199999),
    /** The model is done with its reply: a stop token. */
    RETURN("<|return|>", 200002),
    /** Introduces the content type of a tool call in a header ({@code <|constrain|>json}). */
    CONSTRAIN("<|constrain|>", 200003),
    /** Introduces the channel of a message in its header. */
    CHANNEL("<|channel|>", 200005),
    /** Starts a message; its header follows. */
    START("<|start|>", 200006),
    /** Ends a message (not a stop token: more messages may follow). */
    END("<|end|>", 200007),
    /** Ends a message's header; its content follows. */
    MESSAGE("<|message|>", 200008),
    /** The model calls a tool: a stop token. */
    CALL("<|call|>", 200012);

    private final String text;
    private final int id;

    HarmonyToken(String text, int id) {
        this.text = text;
        this.id = id;
    }

    /**
     * Returns the token as text, as it appears in a rendered prompt.
     *
     * @return for example {@code <|start|>}
     */
    public String text() {
        return text;
    }

    /**
     * Returns the token's id in the {@code o200k_harmony} encoding.
     *
     * @return the id
     */
    public int id() {
        return id;
    }
}
