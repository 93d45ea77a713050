package de.kherud.llama;

import java.util.Arrays;

/**
 * Sets a prompt of token ids: llama.cpp's server accepts a JSON array of ids as {@code prompt}, but
 * java-llama.cpp 4.1.0 only offers a string setter, so this helper (in the binding's package)
 * writes the raw JSON value.
 */
public final class TokenIdPrompt {

    private TokenIdPrompt() {}

    /**
     * Sets the prompt.
     *
     * @param parameters the inference parameters
     * @param ids the token ids
     * @return the parameters
     */
    public static InferenceParameters set(InferenceParameters parameters, int[] ids) {
        parameters.parameters.put("prompt", Arrays.toString(ids));
        return parameters;
    }
}
