package io.moezoo.models.reward;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.Collections;

/**
 * The frozen base encoder: a byte-level (vocabulary 256) pre-norm causal transformer with RoPE and
 * dense SwiGLU FFNs, pre-trained as a language model on the Brown training files.
 *
 * @param hiddenSize H
 * @param numLayers L
 * @param numHeads attention heads (H must be a multiple)
 * @param intermediateSize the SwiGLU FFN width I
 * @param ropeTheta the RoPE base
 * @param rmsNormEps the RMSNorm ε
 */
public record EncoderSpec(
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        double ropeTheta,
        float rmsNormEps) {

    /** The byte vocabulary. */
    public static final int VOCAB = 256;

    /**
     * Validates the spec.
     *
     * @param hiddenSize H
     * @param numLayers L
     * @param numHeads heads
     * @param intermediateSize I
     * @param ropeTheta RoPE base
     * @param rmsNormEps ε
     * @throws IllegalArgumentException if a size is not positive or H is not a multiple of heads
     */
    public EncoderSpec {
        if (hiddenSize <= 0
                || numLayers <= 0
                || numHeads <= 0
                || intermediateSize <= 0
                || hiddenSize % numHeads != 0
                || !(ropeTheta > 0)
                || !(rmsNormEps > 0)) {
            throw new IllegalArgumentException(
                    "Invalid encoder spec: sizes must be > 0 and hiddenSize a multiple of numHeads,"
                            + " got hidden="
                            + hiddenSize
                            + " layers="
                            + numLayers
                            + " heads="
                            + numHeads
                            + " intermediate="
                            + intermediateSize);
        }
    }

    /**
     * Returns the equivalent dense decoder spec (tied embeddings, so the LM head is the byte
     * embedding).
     *
     * @return the decoder spec
     */
    public DecoderSpec toDecoderSpec() {
        AttentionSpec attention =
                new AttentionSpec(
                        hiddenSize,
                        numHeads,
                        numHeads,
                        hiddenSize / numHeads,
                        false,
                        AttentionSpec.QkNorm.NONE,
                        ropeTheta,
                        1.0,
                        0,
                        rmsNormEps);
        return new DecoderSpec(
                DecoderSpec.NATIVE_MODEL_TYPE,
                VOCAB,
                hiddenSize,
                attention,
                new ArrayList<>(Collections.nCopies(numLayers, null)),
                intermediateSize,
                rmsNormEps,
                rmsNormEps,
                true);
    }
}
