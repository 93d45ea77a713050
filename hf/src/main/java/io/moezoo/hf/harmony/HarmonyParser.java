package io.moezoo.hf.harmony;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a harmony reply while it is generated: fed the decoded text piece by piece (special tokens
 * written as text, as a tokenizer decodes them when it keeps special tokens), it passes each piece
 * of message content on to a {@link Listener} with its message's header, so that a caller can
 * stream the final channel to the user and show or hide the analysis. A typical reply, continuing a
 * prompt that ends with {@code <|start|>assistant}:
 *
 * <pre>
 * &lt;|channel|&gt;analysis&lt;|message|&gt;…&lt;|end|&gt;&lt;|start|&gt;assistant&lt;|channel|&gt;final&lt;|message|&gt;…&lt;|return|&gt;
 * </pre>
 *
 * <p>Pieces may split anywhere, special tokens included: text that could be the beginning of a
 * special token is held back until the next piece tells. Headers are never passed on as content.
 * Lenient where models stray: a reply that begins with text rather than a header is one final
 * message; a header without a channel means the final channel; text after {@code <|end|>} without a
 * new header starts a final message (whitespace before it is dropped); {@code <|channel|>} without
 * {@code <|start|>} starts a new assistant message; stray {@code <|message|>}, {@code
 * <|constrain|>}, {@code <|startoftext|>} and {@code <|endoftext|>} inside content are dropped; a
 * message cut off by the end of generation counts as complete; a header cut off is dropped. Text
 * that spells a special token out of ordinary tokens reads as that token (the parser sees text, not
 * token ids).
 *
 * <p>One parser follows one reply; it is not thread-safe.
 */
public final class HarmonyParser {

    /** Receives what the parser reads. */
    public interface Listener {

        /**
         * A piece of a message's content, as soon as it is known not to be part of a special token.
         *
         * @param header the message's header
         * @param text the piece, never empty
         */
        void content(HarmonyHeader header, String text);

        /**
         * A message ended (by {@code <|end|>}, a stop token, a new header or {@link #finish}).
         *
         * @param message the message
         */
        default void messageEnded(HarmonyMessage message) {}
    }

    /** The longest header kept; a longer one is read as the content of a final message. */
    public static final int MAX_HEADER_CHARS = 4096;

    private static final int LONGEST_TOKEN;

    static {
        int longest = 0;
        for (HarmonyToken t : HarmonyToken.values()) {
            longest = Math.max(longest, t.text().length());
        }
        LONGEST_TOKEN = longest;
    }

    private enum State {
        /** Before the reply's first header: it may be missing. */
        FIRST_HEADER,
        /** Reading a header. */
        HEADER,
        /** Reading a message's content. */
        CONTENT,
        /** After a message ended. */
        BETWEEN
    }

    private final Listener listener;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder header = new StringBuilder();
    private final StringBuilder content = new StringBuilder();
    private final List<HarmonyMessage> messages = new ArrayList<>();
    private State state = State.FIRST_HEADER;
    private String headerRole = "assistant";
    private boolean headerSyntax;
    private HarmonyHeader current;
    private boolean finished;

    /**
     * Creates a parser for a reply that continues a prompt ending with {@code <|start|>assistant}.
     *
     * @param listener receives the content as it is read
     */
    public HarmonyParser(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Reads the next piece of the reply.
     *
     * @param piece decoded text, special tokens written as text
     * @throws IllegalStateException after {@link #finish}
     */
    public void accept(String piece) {
        if (finished) {
            throw new IllegalStateException("the reply was finished");
        }
        pending.append(piece);
        process(false);
    }

    /** Ends the reply: passes on any text held back and ends the open message. Idempotent. */
    public void finish() {
        if (finished) {
            return;
        }
        process(true);
        if (state == State.FIRST_HEADER && !headerSyntax && !header.toString().isBlank()) {
            // A reply as short as "t" or "to": too short to tell, so content after all.
            startContent(finalHeader());
            read(takeHeader());
        }
        if (state == State.CONTENT) {
            endMessage();
        }
        finished = true;
    }

    /**
     * Returns the messages that have ended.
     *
     * @return the messages, oldest first
     */
    public List<HarmonyMessage> messages() {
        return List.copyOf(messages);
    }

    /**
     * Returns the content read so far on one channel, the open message's included.
     *
     * @param channel a channel name
     * @return the content of its messages, concatenated
     */
    public String text(String channel) {
        StringBuilder all = new StringBuilder();
        for (HarmonyMessage m : messages) {
            if (m.header().channel().equals(channel)) {
                all.append(m.content());
            }
        }
        if (state == State.CONTENT && current.channel().equals(channel)) {
            all.append(content);
        }
        return all.toString();
    }

    /**
     * Returns the answer for the user read so far: the final channel's content.
     *
     * @return the text
     */
    public String finalText() {
        return text(HarmonyHeader.FINAL);
    }

    private void process(boolean last) {
        while (true) {
            int at = -1;
            HarmonyToken token = null;
            for (int i = pending.indexOf("<|"); i >= 0 && token == null; ) {
                token = tokenAt(i);
                if (token == null) {
                    i = pending.indexOf("<|", i + 1);
                } else {
                    at = i;
                }
            }
            if (token != null) {
                read(pending.substring(0, at));
                pending.delete(0, at + token.text().length());
                marker(token);
                continue;
            }
            int keep = last ? 0 : heldBack();
            read(pending.substring(0, pending.length() - keep));
            pending.delete(0, pending.length() - keep);
            return;
        }
    }

    private HarmonyToken tokenAt(int i) {
        for (HarmonyToken t : HarmonyToken.values()) {
            String s = t.text();
            if (pending.length() - i >= s.length() && pending.indexOf(s, i) == i) {
                return t;
            }
        }
        return null;
    }

    /** The length of the longest end of {@link #pending} that begins a special token. */
    private int heldBack() {
        for (int k = Math.min(pending.length(), LONGEST_TOKEN - 1); k > 0; k--) {
            String tail = pending.substring(pending.length() - k);
            for (HarmonyToken t : HarmonyToken.values()) {
                if (t.text().startsWith(tail)) {
                    return k;
                }
            }
        }
        return 0;
    }

    private void read(String s) {
        if (s.isEmpty()) {
            return;
        }
        switch (state) {
            case CONTENT -> {
                content.append(s);
                listener.content(current, s);
            }
            case HEADER -> appendHeader(s);
            case FIRST_HEADER -> {
                header.append(s);
                if (!headerSyntax) {
                    decideFirstHeader();
                } else if (header.length() > MAX_HEADER_CHARS) {
                    overflow();
                }
            }
            case BETWEEN -> {
                // Whitespace between messages is dropped, however the pieces split it.
                String rest = s.stripLeading();
                if (!rest.isEmpty()) {
                    startContent(finalHeader());
                    read(rest);
                }
            }
        }
    }

    /** Whether the reply's first text is a header (a recipient) or content without one. */
    private void decideFirstHeader() {
        String start = header.toString().stripLeading();
        if (start.isEmpty() || "to=".startsWith(start)) {
            return;
        }
        if (start.startsWith("to=")) {
            headerSyntax = true;
            return;
        }
        startContent(finalHeader());
        read(takeHeader());
    }

    private void appendHeader(String s) {
        header.append(s);
        if (header.length() > MAX_HEADER_CHARS) {
            overflow();
        }
    }

    /** A header too long to be one: its text is the content of a final message. */
    private void overflow() {
        startContent(finalHeader());
        read(takeHeader());
    }

    private static HarmonyHeader finalHeader() {
        return new HarmonyHeader("assistant", HarmonyHeader.FINAL, null, null);
    }

    private String takeHeader() {
        String h = header.toString();
        header.setLength(0);
        return h;
    }

    private void marker(HarmonyToken token) {
        switch (state) {
            case FIRST_HEADER, HEADER -> headerMarker(token);
            case CONTENT -> {
                switch (token) {
                    case END, RETURN, CALL -> endMessage();
                    case START -> {
                        endMessage();
                        startHeader(null);
                    }
                    case CHANNEL -> {
                        endMessage();
                        startHeader("assistant");
                        header.append(token.text());
                    }
                    default -> {}
                }
            }
            case BETWEEN -> {
                switch (token) {
                    case START -> startHeader(null);
                    case CHANNEL -> {
                        startHeader("assistant");
                        header.append(token.text());
                    }
                    case MESSAGE -> startContent(finalHeader());
                    default -> {}
                }
            }
        }
    }

    private void headerMarker(HarmonyToken token) {
        switch (token) {
            case CHANNEL, CONSTRAIN -> {
                headerSyntax = true;
                appendHeader(token.text());
            }
            case MESSAGE -> startContent(HarmonyHeader.parse(headerRole, takeHeader()));
            case START -> {
                takeHeader();
                startHeader(null);
            }
            case END, RETURN, CALL -> {
                takeHeader();
                state = State.BETWEEN;
            }
            default -> {}
        }
    }

    private void startHeader(String role) {
        state = State.HEADER;
        headerRole = role;
        header.setLength(0);
    }

    private void startContent(HarmonyHeader h) {
        state = State.CONTENT;
        current = h;
        content.setLength(0);
    }

    private void endMessage() {
        HarmonyMessage m = new HarmonyMessage(current, content.toString());
        messages.add(m);
        state = State.BETWEEN;
        content.setLength(0);
        listener.messageEnded(m);
    }
}
