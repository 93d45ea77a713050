package io.moezoo.models.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SpecCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Describes a Vision Transformer whose MLP blocks may be Mixture-of-Experts layers (V-MoE, Riquelme
 * et al. 2021). This record is the model's configuration as data: {@link #toJson()} is the
 * artifact's {@code model.json}, and {@link VisionMoeBlockFactory} rebuilds the model from it.
 *
 * <pre>
 *   image [C, S, S] ─▶ (conv stem) ─▶ p×p patches ─▶ Linear ─▶ (+ [CLS]) + learned positions
 *     ─▶ [ h += Attn(LN(h)) ; h += MLP_or_MoE(LN(h)) ] × L ─▶ LN ─▶ pool ─▶ Linear ─▶ logits
 * </pre>
 *
 * <p>With {@code stemChannels} non-empty the model is a <em>hybrid</em> ViT (Dosovitskiy et al.
 * 2021, section 3.1): a {@link ConvStem} (per entry a 3×3 convolution, BatchNorm, ReLU and 2×2 max
 * pooling, except that the last {@code stemUnpooled} stages keep their resolution) turns the image
 * into a {@code [c_last, S / 2^m, S / 2^m]} feature map (m = stages − stemUnpooled), and the
 * patches are cut from that map instead of the pixels.
 *
 * <p>Pixels enter normalised: {@code x = (pixel / 255 - inputMean) / inputStd}. Each image is its
 * own routing group, so expert capacity (and batch-prioritized routing) are per image and a
 * prediction never depends on the other images of its batch.
 *
 * @param name a model name
 * @param imageSize S, the side of the square input image
 * @param channels C, the input channels
 * @param patchSize p, which divides S
 * @param hiddenSize D
 * @param numLayers L
 * @param numHeads attention heads, dividing D
 * @param mlpSize the width of the dense MLP blocks
 * @param moeLayers the indices of the blocks whose MLP is an MoE layer (sorted, distinct)
 * @param router the router of every MoE layer (null iff there are no MoE layers)
 * @param experts the experts of every MoE layer: GELU {@link MlpExpertSpec mlp} experts with biases
 *     (null iff there are no MoE layers)
 * @param dispatch how MoE assignments reach the experts
 * @param pooling how the token sequence becomes one vector
 * @param numClasses the number of classes
 * @param layerNormEps ε of every LayerNorm
 * @param importanceLossWeight weight of the V-MoE importance loss in training
 * @param loadLossWeight weight of the V-MoE load loss in training (needs a noisy router)
 * @param inputMean the mean subtracted from pixel / 255
 * @param inputStd the std dividing pixel / 255 - mean
 * @param stemChannels the output channels of each convolutional stem stage (empty: patches are cut
 *     from the pixels)
 * @param stemUnpooled how many of the last stem stages have no max pooling (0: every stage halves
 *     the map), so the encoder sees a finer grid of tokens
 */
public record VisionMoeSpec(
        String name,
        int imageSize,
        int channels,
        int patchSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int mlpSize,
        List<Integer> moeLayers,
        RouterSpec router,
        ExpertSpec experts,
        String dispatch,
        Pooling pooling,
        int numClasses,
        float layerNormEps,
        float importanceLossWeight,
        float loadLossWeight,
        float inputMean,
        float inputStd,
        List<Integer> stemChannels,
        int stemUnpooled) {

    /** How the encoder output becomes one vector per image. */
    public enum Pooling {
        /** A learned {@code [CLS]} token is prepended; its final state is classified. */
        CLASS_TOKEN,
        /** The final states of all patch tokens are averaged (global average pooling). */
        MEAN,
        /**
         * The final states of all patch tokens are concatenated in grid order ({@code N·D} values),
         * so the head weighs each position on its own, as a CNN's dense layer over its flattened
         * feature map does.
         */
        FLATTEN
    }

    /**
     * Validates the spec.
     *
     * @param name the name
     * @param imageSize S
     * @param channels C
     * @param patchSize p
     * @param hiddenSize D
     * @param numLayers L
     * @param numHeads heads
     * @param mlpSize dense MLP width
     * @param moeLayers MoE block indices
     * @param router the router, or null
     * @param experts the experts, or null
     * @param dispatch the dispatch mode
     * @param pooling the pooling
     * @param numClasses classes
     * @param layerNormEps LayerNorm ε
     * @param importanceLossWeight importance loss weight
     * @param loadLossWeight load loss weight
     * @param inputMean input mean
     * @param inputStd input std
     * @param stemChannels the widths of the convolutional stem stages (may be empty)
     * @param stemUnpooled the number of last stem stages without max pooling
     * @throws IllegalArgumentException naming the first invalid field
     */
    public VisionMoeSpec {
        require(name != null && !name.isBlank(), "name is required");
        require(channels > 0, "channels must be > 0, got " + channels);
        require(stemChannels != null, "stemChannels is required (may be empty)");
        require(
                stemChannels.size() <= 8
                        && stemChannels.stream().allMatch(c -> c != null && c > 0 && c <= 4096),
                "stemChannels must be at most 8 widths in [1, 4096], got " + stemChannels);
        stemChannels = List.copyOf(stemChannels);
        require(
                stemUnpooled >= 0 && stemUnpooled <= stemChannels.size(),
                "stemUnpooled must be in [0, "
                        + stemChannels.size()
                        + "] (the stem's stages), got "
                        + stemUnpooled);
        int halvings = stemChannels.size() - stemUnpooled;
        require(
                imageSize >> halvings > 0,
                "imageSize must be > 0 and at least 2^"
                        + halvings
                        + " (one halving per pooled stem stage), got "
                        + imageSize);
        int side = imageSize >> halvings;
        require(
                patchSize > 0 && side % patchSize == 0,
                "patchSize must be > 0 and divide the side "
                        + side
                        + " it is cut from, got "
                        + patchSize);
        require(hiddenSize > 0, "hiddenSize must be > 0, got " + hiddenSize);
        require(numLayers > 0, "numLayers must be > 0, got " + numLayers);
        require(
                numHeads > 0 && hiddenSize % numHeads == 0,
                "numHeads must be > 0 and divide hiddenSize " + hiddenSize + ", got " + numHeads);
        require(moeLayers != null, "moeLayers is required (may be empty)");
        require(
                moeLayers.stream().allMatch(java.util.Objects::nonNull)
                        && new TreeSet<>(moeLayers).size() == moeLayers.size(),
                "moeLayers must be distinct block indices, got " + moeLayers);
        for (int i : moeLayers) {
            require(
                    i >= 0 && i < numLayers,
                    "moeLayers entry " + i + " is not a block index in [0, " + numLayers + ")");
        }
        require(
                moeLayers.size() == numLayers || mlpSize > 0,
                "mlpSize must be > 0 when some blocks are dense, got " + mlpSize);
        if (moeLayers.isEmpty()) {
            require(
                    router == null && experts == null,
                    "router and experts must be absent when moeLayers is empty");
        } else {
            require(router != null && experts != null, "MoE blocks need a router and experts");
            require(
                    experts instanceof MlpExpertSpec,
                    "V-MoE experts are mlp experts, got " + experts.toJson());
            require(
                    experts.hiddenSize() == hiddenSize,
                    "experts.hiddenSize "
                            + experts.hiddenSize()
                            + " differs from hiddenSize "
                            + hiddenSize);
            require(
                    router.numExperts() == experts.numExperts(),
                    "router has "
                            + router.numExperts()
                            + " experts, the expert bank "
                            + experts.numExperts());
            require(router.nullExperts() == 0, "null experts are not supported");
            require(
                    router.groupSize() == 0,
                    "router.groupSize must be 0 (each image is one routing group), got "
                            + router.groupSize());
            require(
                    !(loadLossWeight > 0)
                            || (router instanceof CapacityTopKSpec c && c.noiseStd() > 0)
                            || router instanceof NoisyTopKSpec,
                    "the load loss needs a noisy router (capacity_top_k with noiseStd > 0, or"
                            + " noisy_top_k)");
        }
        require(dispatch != null, "dispatch is required");
        dispatch = DispatcherKinds.canonical(dispatch);
        require(pooling != null, "pooling is required");
        require(numClasses > 1, "numClasses must be > 1, got " + numClasses);
        require(
                layerNormEps > 0 && Float.isFinite(layerNormEps),
                "layerNormEps must be > 0, got " + layerNormEps);
        require(
                importanceLossWeight >= 0 && Float.isFinite(importanceLossWeight),
                "importanceLossWeight must be finite and >= 0, got " + importanceLossWeight);
        require(
                loadLossWeight >= 0 && Float.isFinite(loadLossWeight),
                "loadLossWeight must be finite and >= 0, got " + loadLossWeight);
        require(Float.isFinite(inputMean), "inputMean must be finite, got " + inputMean);
        require(
                inputStd > 0 && Float.isFinite(inputStd),
                "inputStd must be finite and > 0, got " + inputStd);
        List<Integer> sorted = new ArrayList<>(moeLayers);
        Collections.sort(sorted);
        moeLayers = Collections.unmodifiableList(sorted);
    }

    /**
     * The V-MoE "every n" placement: MoE in blocks n-1, 2n-1, … (n = 2: every other block, starting
     * with the second).
     *
     * @param numLayers L
     * @param every n
     * @return the MoE block indices
     */
    public static List<Integer> everyNth(int numLayers, int every) {
        List<Integer> layers = new ArrayList<>();
        for (int i = every - 1; i < numLayers; i += every) {
            layers.add(i);
        }
        return layers;
    }

    /**
     * Creates a plain (patches from pixels) spec: {@code stemChannels} empty.
     *
     * @param name see the record components
     * @param imageSize S
     * @param channels C
     * @param patchSize p
     * @param hiddenSize D
     * @param numLayers L
     * @param numHeads heads
     * @param mlpSize dense MLP width
     * @param moeLayers MoE block indices
     * @param router router (null iff no MoE blocks)
     * @param experts experts (null iff no MoE blocks)
     * @param dispatch dispatch kind
     * @param pooling pooling
     * @param numClasses classes
     * @param layerNormEps LayerNorm ε
     * @param importanceLossWeight importance loss weight
     * @param loadLossWeight load loss weight
     * @param inputMean input mean
     * @param inputStd input std
     */
    public VisionMoeSpec(
            String name,
            int imageSize,
            int channels,
            int patchSize,
            int hiddenSize,
            int numLayers,
            int numHeads,
            int mlpSize,
            List<Integer> moeLayers,
            RouterSpec router,
            ExpertSpec experts,
            String dispatch,
            Pooling pooling,
            int numClasses,
            float layerNormEps,
            float importanceLossWeight,
            float loadLossWeight,
            float inputMean,
            float inputStd) {
        this(
                name,
                imageSize,
                channels,
                patchSize,
                hiddenSize,
                numLayers,
                numHeads,
                mlpSize,
                moeLayers,
                router,
                experts,
                dispatch,
                pooling,
                numClasses,
                layerNormEps,
                importanceLossWeight,
                loadLossWeight,
                inputMean,
                inputStd,
                List.of(),
                0);
    }

    /**
     * Returns a copy with another pooling.
     *
     * @param newPooling how the token sequence becomes one vector
     * @return the new spec
     */
    public VisionMoeSpec withPooling(Pooling newPooling) {
        return copy(newPooling, stemChannels, stemUnpooled);
    }

    /**
     * Returns a copy with a convolutional stem (a hybrid ViT) whose every stage pools.
     *
     * @param channels the output channels of each stem stage
     * @return the new spec
     * @throws IllegalArgumentException if the stem does not fit the image and patch sizes
     */
    public VisionMoeSpec withStem(List<Integer> channels) {
        return withStem(channels, 0);
    }

    /**
     * Returns a copy with a convolutional stem whose last {@code unpooled} stages keep their
     * resolution.
     *
     * @param channels the output channels of each stem stage
     * @param unpooled how many of the last stages have no max pooling
     * @return the new spec
     * @throws IllegalArgumentException if the stem does not fit the image and patch sizes
     */
    public VisionMoeSpec withStem(List<Integer> channels, int unpooled) {
        return copy(pooling, channels, unpooled);
    }

    /** A copy with another pooling and stem, every other component the same. */
    private VisionMoeSpec copy(Pooling newPooling, List<Integer> newStem, int newUnpooled) {
        return new VisionMoeSpec(
                name,
                imageSize,
                channels,
                patchSize,
                hiddenSize,
                numLayers,
                numHeads,
                mlpSize,
                moeLayers,
                router,
                experts,
                dispatch,
                newPooling,
                numClasses,
                layerNormEps,
                importanceLossWeight,
                loadLossWeight,
                inputMean,
                inputStd,
                newStem,
                newUnpooled);
    }

    /**
     * Returns the side of the map the patches are cut from: S, halved (rounding down, as 2×2 max
     * pooling does) once per pooled stem stage.
     *
     * @return the feature-map side
     */
    public int featureSide() {
        return imageSize >> (stemChannels.size() - stemUnpooled);
    }

    /**
     * Returns the channels of the map the patches are cut from: C, or the last stem stage's width.
     *
     * @return the feature-map channels
     */
    public int featureChannels() {
        return stemChannels.isEmpty() ? channels : stemChannels.get(stemChannels.size() - 1);
    }

    /**
     * Returns the number of patches per side, S / 2^m / p (m: the pooled stem stages).
     *
     * @return the grid size
     */
    public int gridSize() {
        return featureSide() / patchSize;
    }

    /**
     * Returns the number of patches, (S / p)².
     *
     * @return the patches per image
     */
    public int numPatches() {
        return gridSize() * gridSize();
    }

    /**
     * Returns the tokens per image: the patches, plus one for the class token.
     *
     * @return the sequence length
     */
    public int sequenceLength() {
        return numPatches() + (pooling == Pooling.CLASS_TOKEN ? 1 : 0);
    }

    /**
     * Returns the length of one flattened patch, C·p² (C: the feature-map channels).
     *
     * @return the patch vector length
     */
    public int patchDim() {
        return featureChannels() * patchSize * patchSize;
    }

    /**
     * Returns whether block i has an MoE MLP.
     *
     * @param layer the block index
     * @return true for an MoE block
     */
    public boolean isMoe(int layer) {
        return moeLayers.contains(layer);
    }

    /**
     * Returns the MoE layer spec of the MoE blocks.
     *
     * @return the spec
     * @throws IllegalStateException if this model has no MoE blocks
     */
    public MoeLayerSpec moeLayerSpec() {
        if (moeLayers.isEmpty()) {
            throw new IllegalStateException("Model " + name + " has no MoE blocks");
        }
        return new MoeLayerSpec(router, experts, null, dispatch, false);
    }

    /**
     * Counts all parameters, computed from the spec.
     *
     * @return the total parameter count
     */
    public long totalParameters() {
        return countParameters(false);
    }

    /**
     * Counts the parameters one token passes through: the router and k of the E experts of every
     * MoE block, everything else in full.
     *
     * @return the activated parameter count
     */
    public long activatedParameters() {
        return countParameters(true);
    }

    /**
     * Returns the head's input width: {@code N·D} for {@link Pooling#FLATTEN}, else {@code D}.
     *
     * @return the width
     */
    public int headInputs() {
        return pooling == Pooling.FLATTEN ? numPatches() * hiddenSize : hiddenSize;
    }

    private long countParameters(boolean activatedOnly) {
        long d = hiddenSize;
        long n = ConvStem.trainableParameters(channels, stemChannels);
        n += (long) patchDim() * d + d; // patch embedding
        n += (long) sequenceLength() * d; // positions
        n += pooling == Pooling.CLASS_TOKEN ? d : 0;
        long attention = 4 * d * d + 4 * d;
        long norms = 4 * d;
        long dense = 2 * d * mlpSize + mlpSize + d;
        for (int i = 0; i < numLayers; i++) {
            n += attention + norms;
            if (isMoe(i)) {
                long e = experts.numExperts();
                long w = experts.intermediateSize();
                long expert = 2 * d * w + (((MlpExpertSpec) experts).bias() ? w + d : 0);
                long used = activatedOnly ? router.topK() : e;
                n += e * d + used * expert;
            } else {
                n += dense;
            }
        }
        n += 2 * d; // final norm
        n += headInputs() * numClasses + numClasses; // head
        return n;
    }

    /**
     * Returns the JSON form ({@code model.json}): {@code "format"}, then every component, written
     * by the spec codec.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        SpecCodec.writeRecord(this).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        return SpecCodec.pretty(o);
    }

    /** The value of the {@code format} field this version reads and writes. */
    public static final String FORMAT = "moezoo-vision-moe/1";

    /**
     * Parses and validates a spec from its JSON form; {@code router} and {@code experts} may be
     * absent for a dense model.
     *
     * @param json the {@code model.json} text
     * @return the spec
     * @throws IllegalArgumentException if the JSON is malformed, a field is missing or has the
     *     wrong type, or the spec is invalid; the message names the field
     */
    public static VisionMoeSpec fromJson(String json) {
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(json);
            require(root.isJsonObject(), "model.json must be a JSON object");
            o = root.getAsJsonObject().deepCopy();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "Invalid vision model spec: malformed JSON: " + e.getMessage(), e);
        }
        JsonElement format = o.remove("format");
        require(
                format != null && format.isJsonPrimitive() && FORMAT.equals(format.getAsString()),
                "format must be \"" + FORMAT + "\", got " + format);
        JsonObject defaults = new JsonObject();
        defaults.add("stemChannels", new com.google.gson.JsonArray());
        defaults.addProperty("stemUnpooled", 0);
        if (o.has("moeLayers")
                && o.get("moeLayers").isJsonArray()
                && o.getAsJsonArray("moeLayers").isEmpty()) {
            defaults.add("router", JsonNull.INSTANCE);
            defaults.add("experts", JsonNull.INSTANCE);
        }
        return SpecCodec.readRecord(VisionMoeSpec.class, o, defaults, "Invalid vision model spec");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid vision model spec: " + message);
        }
    }
}
