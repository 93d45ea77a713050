package io.moezoo.cli.serve;

import java.util.function.Consumer;

/**
 * The model the server answers with. Implementations must allow concurrent calls of {@link
 * #generate} (the server runs up to {@code --parallel} at once, each with its own callback).
 */
public interface TextGenerator {

    /**
     * Returns the model's id, as {@code /v1/models} lists it.
     *
     * @return the id
     */
    String modelId();

    /**
     * Returns how chat messages become a prompt.
     *
     * @return the chat prompt
     */
    ChatPrompt chatPrompt();

    /**
     * Continues a prompt.
     *
     * @param prompt the prompt
     * @param request the generation settings
     * @param onText receives the continuation piece by piece while it is generated (the pieces add
     *     up to the text), or null; an exception it throws ends generation and is rethrown
     * @return the continuation
     * @throws ApiException when the request does not fit the model (400 naming the numbers)
     * @throws Exception when generation fails otherwise
     */
    Completion generate(String prompt, GenerationRequest request, Consumer<String> onText)
            throws Exception;

    /**
     * Generates the answer to a chat prompt rendered by {@link #chatPrompt()}: like {@link
     * #generate}, except that the tokenizer adds no special tokens (the template writes them).
     *
     * @param prompt the rendered conversation
     * @param request the generation settings
     * @param onText receives each piece of text as it is produced, or null
     * @return the completion
     * @throws Exception as {@link #generate}
     */
    default Completion generateChat(
            String prompt, GenerationRequest request, Consumer<String> onText) throws Exception {
        return generate(prompt, request, onText);
    }
}
