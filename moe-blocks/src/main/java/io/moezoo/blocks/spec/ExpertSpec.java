package io.moezoo.blocks.spec;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * Describes a bank of E experts of one form, each mapping {@code H -> I -> H}.
 *
 * <p>Fine-grained experts (DeepSeekMoE) are {@link #fineGrained(int) m·E experts of width I/m}.
 */
public final class ExpertSpec {

    private final ExpertType type;
    private final int numExperts;
    private final int hiddenSize;
    private final int intermediateSize;
    private final ExpertActivation activation;
    private final boolean bias;
    private final int loraRank;
    private final float loraAlpha;

    private ExpertSpec(Builder b) {
        type = b.type;
        numExperts = b.numExperts;
        hiddenSize = b.hiddenSize;
        intermediateSize = b.intermediateSize;
        activation = b.activation;
        bias = b.bias;
        loraRank = b.loraRank;
        loraAlpha = b.loraAlpha;
    }

    /**
     * Returns a builder for experts of the given form.
     *
     * @param type the expert form
     * @return a new builder
     */
    public static Builder builder(ExpertType type) {
        return new Builder(type);
    }

    /**
     * SwiGLU experts of the Mixtral/Qwen/DeepSeek form.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I per expert
     * @return the spec
     */
    public static ExpertSpec swiGlu(int numExperts, int hiddenSize, int intermediateSize) {
        return builder(ExpertType.SWIGLU)
                .setNumExperts(numExperts)
                .setHiddenSize(hiddenSize)
                .setIntermediateSize(intermediateSize)
                .build();
    }

    /**
     * Parses a spec from JSON and validates it.
     *
     * @param json the JSON text written by {@link #toJson()}
     * @return the spec
     */
    public static ExpertSpec fromJson(String json) {
        Builder b;
        try {
            b = new Gson().fromJson(json, Builder.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed expert spec JSON: " + e.getMessage(), e);
        }
        if (b == null || b.type == null) {
            throw new IllegalArgumentException("Expert spec JSON has no \"type\"");
        }
        return b.build();
    }

    /**
     * Returns the JSON form of this spec.
     *
     * @return JSON text
     */
    public String toJson() {
        return new Gson().toJson(this);
    }

    /**
     * Returns the fine-grained version of this spec: m·E experts of width I/m, the same total
     * parameters (DeepSeekMoE expert segmentation).
     *
     * @param m the segmentation factor
     * @return the fine-grained spec
     */
    public ExpertSpec fineGrained(int m) {
        if (m < 1 || intermediateSize % m != 0) {
            throw new IllegalArgumentException(
                    "Fine-grained factor m="
                            + m
                            + " must divide intermediateSize "
                            + intermediateSize);
        }
        return toBuilder()
                .setNumExperts(numExperts * m)
                .setIntermediateSize(intermediateSize / m)
                .build();
    }

    /**
     * Returns a builder initialised with this spec's fields.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.numExperts = numExperts;
        b.hiddenSize = hiddenSize;
        b.intermediateSize = intermediateSize;
        b.activation = activation;
        b.bias = bias;
        b.loraRank = loraRank;
        b.loraAlpha = loraAlpha;
        return b;
    }

    /**
     * Returns the expert form.
     *
     * @return the type
     */
    public ExpertType getType() {
        return type;
    }

    /**
     * Returns E.
     *
     * @return the number of experts
     */
    public int getNumExperts() {
        return numExperts;
    }

    /**
     * Returns H.
     *
     * @return the hidden size
     */
    public int getHiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns I, the intermediate size of one expert.
     *
     * @return the intermediate size
     */
    public int getIntermediateSize() {
        return intermediateSize;
    }

    /**
     * Returns the MLP activation.
     *
     * @return the activation
     */
    public ExpertActivation getActivation() {
        return activation;
    }

    /**
     * Returns whether MLP experts have biases.
     *
     * @return true if they have biases
     */
    public boolean hasBias() {
        return bias;
    }

    /**
     * Returns the LoRA rank r.
     *
     * @return r
     */
    public int getLoraRank() {
        return loraRank;
    }

    /**
     * Returns the LoRA α; adapters are scaled by α/r.
     *
     * @return α
     */
    public float getLoraAlpha() {
        return loraAlpha;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return toJson();
    }

    /** Builds an {@link ExpertSpec}. */
    public static final class Builder {
        private ExpertType type;
        private int numExperts;
        private int hiddenSize;
        private int intermediateSize;
        private ExpertActivation activation = ExpertActivation.GELU;
        private boolean bias = true;
        private int loraRank = 8;
        private float loraAlpha = 16f;

        Builder(ExpertType type) {
            this.type = type;
        }

        /**
         * Sets E.
         *
         * @param numExperts the number of experts
         * @return this builder
         */
        public Builder setNumExperts(int numExperts) {
            this.numExperts = numExperts;
            return this;
        }

        /**
         * Sets H.
         *
         * @param hiddenSize the hidden size
         * @return this builder
         */
        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * Sets I.
         *
         * @param intermediateSize the intermediate size per expert
         * @return this builder
         */
        public Builder setIntermediateSize(int intermediateSize) {
            this.intermediateSize = intermediateSize;
            return this;
        }

        /**
         * Sets the MLP activation.
         *
         * @param activation GELU or ReLU
         * @return this builder
         */
        public Builder optActivation(ExpertActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets whether MLP experts have biases.
         *
         * @param bias true for biases
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Sets the LoRA rank and α.
         *
         * @param rank r
         * @param alpha α
         * @return this builder
         */
        public Builder optLora(int rank, float alpha) {
            this.loraRank = rank;
            this.loraAlpha = alpha;
            return this;
        }

        /**
         * Validates and builds the spec.
         *
         * @return the spec
         */
        public ExpertSpec build() {
            check(type != null, "expert type is required");
            check(numExperts > 0, "numExperts must be > 0, got " + numExperts);
            check(hiddenSize > 0, "hiddenSize must be > 0, got " + hiddenSize);
            check(intermediateSize > 0, "intermediateSize must be > 0, got " + intermediateSize);
            check(activation != null, "activation is required");
            if (type == ExpertType.LORA) {
                check(loraRank > 0, "loraRank must be > 0, got " + loraRank);
                check(loraAlpha > 0, "loraAlpha must be > 0, got " + loraAlpha);
            }
            return new ExpertSpec(this);
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("Invalid expert spec: " + message);
            }
        }
    }
}
