package io.moezoo.hf;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.translators.text.GenerationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a checkpoint's {@code generation_config.json} says about generating (or, without that file,
 * the token ids of {@code config.json}, as transformers derives them): the end-of-sequence ids that
 * stop generation, BOS and PAD, and the default sampling. {@link #applyTo} lays them under a {@link
 * GenerationConfig}: the EOS ids join its stop tokens, and the sampling defaults fill the settings
 * the user did not give. As in transformers, the file's temperature, top-k, top-p and min-p apply
 * only when it sets {@code do_sample: true}; otherwise decoding is greedy unless the user asks for
 * a temperature.
 *
 * @param eosTokenIds the ids that end generation ({@code eos_token_id}: one id or a list)
 * @param bosTokenId {@code bos_token_id}, or null
 * @param padTokenId {@code pad_token_id}, or null
 * @param doSample whether the checkpoint samples by default
 * @param temperature the default temperature, or null
 * @param topK the default top-k, or null
 * @param topP the default top-p, or null
 * @param minP the default min-p, or null
 * @param repetitionPenalty the default repetition penalty, or null
 */
public record GenerationDefaults(
        Set<Long> eosTokenIds,
        Long bosTokenId,
        Long padTokenId,
        boolean doSample,
        Float temperature,
        Integer topK,
        Float topP,
        Float minP,
        Float repetitionPenalty) {

    /** The file this record is read from. */
    public static final String FILE = "generation_config.json";

    /** No defaults: nothing stops generation but the caller's stop tokens. */
    public static final GenerationDefaults NONE =
            new GenerationDefaults(Set.of(), null, null, false, null, null, null, null, null);

    /**
     * Copies the EOS ids.
     *
     * @param eosTokenIds the ids that end generation
     * @param bosTokenId {@code bos_token_id}, or null
     * @param padTokenId {@code pad_token_id}, or null
     * @param doSample whether the checkpoint samples by default
     * @param temperature the default temperature, or null
     * @param topK the default top-k, or null
     * @param topP the default top-p, or null
     * @param minP the default min-p, or null
     * @param repetitionPenalty the default repetition penalty, or null
     */
    public GenerationDefaults {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /**
     * Reads a checkpoint directory's {@value #FILE}, or the token ids of its {@code config.json}
     * when there is no such file.
     *
     * @param dir the checkpoint directory
     * @return the defaults ({@link #NONE} when neither file names any)
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException naming the file and field that is invalid
     */
    public static GenerationDefaults read(Path dir)
            throws IOException, MalformedCheckpointException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(file)) {
            return of(ConfigFields.read(file), true);
        }
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            return of(ConfigFields.read(config), false);
        }
        return NONE;
    }

    private static GenerationDefaults of(ConfigFields c, boolean sampling)
            throws MalformedCheckpointException {
        Set<Long> eos = new HashSet<>();
        if (c.isArray("eos_token_id")) {
            for (int id :
                    c.integers(
                            "eos_token_id",
                            0,
                            ConfigLimits.MAX_VOCAB - 1,
                            GenerationConfig.MAX_STOP_TOKENS)) {
                eos.add((long) id);
            }
        } else if (c.has("eos_token_id")) {
            eos.add((long) c.integer("eos_token_id", 0, ConfigLimits.MAX_VOCAB - 1));
        }
        Long bos =
                c.has("bos_token_id")
                        ? (long) c.integer("bos_token_id", 0, ConfigLimits.MAX_VOCAB - 1)
                        : null;
        Long pad =
                c.has("pad_token_id")
                        ? (long) c.integer("pad_token_id", 0, ConfigLimits.MAX_VOCAB - 1)
                        : null;
        if (!sampling) {
            return new GenerationDefaults(eos, bos, pad, false, null, null, null, null, null);
        }
        return new GenerationDefaults(
                eos,
                bos,
                pad,
                c.bool("do_sample", false),
                c.has("temperature")
                        ? (float) c.number("temperature", 0, GenerationConfig.MAX_TEMPERATURE)
                        : null,
                c.has("top_k") ? c.integer("top_k", 0, ConfigLimits.MAX_VOCAB) : null,
                c.has("top_p") ? (float) c.positive("top_p", 1.0, 0, 1) : null,
                c.has("min_p") ? (float) c.number("min_p", 0, 0.999999) : null,
                c.has("repetition_penalty")
                        ? (float) c.positive("repetition_penalty", 1.0, 0, 1e4)
                        : null);
    }

    /**
     * Returns a copy that also stops on more ids (a chat format's own stop tokens, such as
     * harmony's {@code <|call|>}, which gpt-oss's {@value #FILE} does not list).
     *
     * @param more the ids to add
     * @return the copy
     */
    public GenerationDefaults withEosTokenIds(Set<Long> more) {
        Set<Long> eos = new HashSet<>(eosTokenIds);
        eos.addAll(more);
        return new GenerationDefaults(
                eos,
                bosTokenId,
                padTokenId,
                doSample,
                temperature,
                topK,
                topP,
                minP,
                repetitionPenalty);
    }

    /**
     * Lays these defaults under a config: the EOS ids are added to its stop tokens (unless {@code
     * ignoreEos}); temperature, top-k, top-p and min-p come from here when the file samples ({@code
     * do_sample}) and the user gave none of them; the repetition penalty when the user gave none.
     *
     * @param config the user's config
     * @param given the settings the user gave explicitly, among {@code temperature}, {@code topK},
     *     {@code topP}, {@code minP}, {@code repetitionPenalty}
     * @param ignoreEos true to keep generating past EOS
     * @return the config to generate with
     */
    public GenerationConfig applyTo(GenerationConfig config, Set<String> given, boolean ignoreEos) {
        GenerationConfig out = config;
        if (!ignoreEos && !eosTokenIds.isEmpty()) {
            Set<Long> stop = new HashSet<>(config.stopTokens());
            stop.addAll(eosTokenIds);
            out = out.withStopTokens(stop);
        }
        boolean userSampling =
                given.stream().anyMatch(List.of("temperature", "topK", "topP", "minP")::contains);
        if (doSample && !userSampling) {
            out =
                    out.withSampling(
                            temperature == null ? 1f : temperature,
                            topK == null ? 50 : topK,
                            topP == null ? 1f : topP,
                            minP == null ? 0f : minP);
        }
        if (repetitionPenalty != null && !given.contains("repetitionPenalty")) {
            out =
                    out.withPenalties(
                            repetitionPenalty, out.presencePenalty(), out.frequencyPenalty());
        }
        return out;
    }

    /**
     * Returns the names, as {@link #applyTo} takes them, of the sampling settings a caller gave
     * (non-null).
     *
     * @param temperature the temperature, or null
     * @param topK the top-k, or null
     * @param topP the top-p, or null
     * @param minP the min-p, or null
     * @param repetitionPenalty the repetition penalty, or null
     * @return the names of the non-null ones
     */
    public static Set<String> given(
            Float temperature, Integer topK, Float topP, Float minP, Float repetitionPenalty) {
        Set<String> given = new HashSet<>();
        String[] names = {"temperature", "topK", "topP", "minP", "repetitionPenalty"};
        Object[] values = {temperature, topK, topP, minP, repetitionPenalty};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                given.add(names[i]);
            }
        }
        return given;
    }
}
