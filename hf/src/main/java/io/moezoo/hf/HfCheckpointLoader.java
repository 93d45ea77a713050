package io.moezoo.hf;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import io.moezoo.blocks.attention.AttentionBlock;
import io.moezoo.blocks.attention.MixtureOfAttentionHeads;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.experts.ClampedSwiGluExperts;
import io.moezoo.blocks.experts.SwiGluExperts;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.routing.GroupLimitedRouter;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a Hugging Face MoE checkpoint directory ({@code config.json} + safetensors) into a {@link
 * MoeCausalLm}.
 *
 * <p>{@link #inspect} validates everything without reading a weight: the config is mapped strictly
 * ({@link HfConfigMapper}), every safetensors header and the shard index are validated, the
 * config's counts are checked against a few tensor shapes before a model of that size is even
 * constructed, and then every parameter is matched with its checkpoint keys, shapes and dtypes; all
 * problems are reported together. {@link #load} does the same and then reads the weights. Experts
 * may be stored per expert on the hub ({@code experts.j.w1/w3/w2} or {@code
 * gate_proj/up_proj/down_proj}) or fused as in transformers v5 ({@code experts.gate_up_proj [E, 2I,
 * H]}, {@code experts.down_proj [E, H, I]}); per-expert weights are stacked into the fused layout,
 * gate rows first. A failed load frees everything it allocated.
 */
public final class HfCheckpointLoader {

    /** The config file of a checkpoint directory. */
    public static final String CONFIG_FILE = "config.json";

    private HfCheckpointLoader() {}

    /**
     * Validates a checkpoint directory without reading any weight (no engine is needed).
     *
     * @param dir the checkpoint directory
     * @return the validated checkpoint, ready to {@link HfCheckpoint#load load}
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the config, the files or the shapes are wrong
     */
    public static HfCheckpoint inspect(Path dir) throws IOException, MalformedCheckpointException {
        return inspect(dir, true);
    }

    /**
     * Validates a checkpoint directory for an engine that reads weights in their stored format,
     * mapped in place (MoeJava): as {@link #inspect}, except that a weight larger than one float32
     * array (gpt-oss-20b's embeddings and MXFP4 experts) is fine; {@link HfCheckpoint#load} of the
     * result may still refuse such a weight.
     *
     * @param dir the checkpoint directory
     * @return the validated checkpoint
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the config, the files or the shapes are wrong
     */
    public static HfCheckpoint inspectStored(Path dir)
            throws IOException, MalformedCheckpointException {
        return inspect(dir, false);
    }

    private static HfCheckpoint inspect(Path dir, boolean asFloat32)
            throws IOException, MalformedCheckpointException {
        Path configJson = dir.resolve(CONFIG_FILE);
        ConfigFields config = ConfigFields.read(configJson);
        DecoderSpec spec = HfConfigMapper.map(config);
        int[] fp8Block = HfConfigMapper.fp8(config);
        Checkpoint checkpoint = Checkpoint.open(dir);
        if (fp8Block != null) {
            checkpoint = checkpoint.withFp8BlockSize(fp8Block[0], fp8Block[1]);
        }
        CheckpointShapes.precheck(spec, checkpoint);
        MoeCausalLm model;
        try {
            model = new MoeCausalLm(spec);
        } catch (IllegalArgumentException e) {
            throw new MalformedCheckpointException(configJson + ": " + e.getMessage(), e);
        }
        List<WeightSource> sources = plan(model, spec, checkpoint);
        CheckpointShapes.validate(sources, checkpoint, asFloat32);
        return new HfCheckpoint(dir, spec, checkpoint, model, sources);
    }

    /**
     * Loads a model.
     *
     * @param dir the checkpoint directory
     * @param manager the manager that will own the model's parameters
     * @return the loaded model
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the config, the files or the shapes are wrong
     */
    public static MoeCausalLm load(Path dir, NDManager manager)
            throws IOException, MalformedCheckpointException {
        return inspect(dir).load(manager);
    }

    /** Initialises the model with zeros and writes every source into its parameter. */
    static MoeCausalLm load(
            MoeCausalLm model, List<WeightSource> sources, Checkpoint checkpoint, NDManager manager)
            throws IOException, MalformedCheckpointException {
        NDManager owner = manager.newSubManager();
        try {
            // Zeros, not random values: calloc'ed pages stay untouched until the real weight
            // replaces them, so loading needs about one copy of the weights, not two.
            model.setInitializer(new ConstantInitializer(0f), p -> true);
            model.initialize(owner, DataType.FLOAT32, new Shape(1, 1));
            for (WeightSource source : sources) {
                try (NDManager scope = owner.newSubManager()) {
                    write(checkpoint, source, scope);
                }
            }
            return model;
        } catch (IOException | MalformedCheckpointException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /** Loads one source into its parameter; stacked experts are written slice by slice. */
    private static void write(Checkpoint checkpoint, WeightSource source, NDManager scope)
            throws IOException, MalformedCheckpointException {
        switch (source.kind()) {
            case DIRECT:
                WeightAssignment.assign(
                        source.target(), checkpoint.load(scope, source.keys().get(0)));
                return;
            case STACK:
                for (int e = 0; e < source.keys().size(); e++) {
                    try (NDManager piece = scope.newSubManager()) {
                        WeightAssignment.assignSlice(
                                source.target(),
                                e,
                                0,
                                checkpoint.load(piece, source.keys().get(e)));
                    }
                }
                return;
            case INTERLEAVED_ROWS:
            case INTERLEAVED_COLUMNS:
            case INTERLEAVED_BIAS:
            case TRANSPOSED:
                WeightAssignment.assign(
                        source.target(),
                        GptOssWeights.arrange(
                                source.kind(), checkpoint.load(scope, source.keys().get(0))));
                return;
            default:
                {
                    int experts = source.keys().size() / 2;
                    long rows = source.keyShape().get(0);
                    for (int e = 0; e < experts; e++) {
                        try (NDManager piece = scope.newSubManager()) {
                            // Gate rows first, then up rows: [E, 2I, H].
                            WeightAssignment.assignSlice(
                                    source.target(),
                                    e,
                                    0,
                                    checkpoint.load(piece, source.keys().get(e)));
                            WeightAssignment.assignSlice(
                                    source.target(),
                                    e,
                                    rows,
                                    checkpoint.load(piece, source.keys().get(experts + e)));
                        }
                    }
                }
        }
    }

    private static List<WeightSource> plan(
            MoeCausalLm model, DecoderSpec spec, Checkpoint checkpoint) {
        List<WeightSource> sources = new ArrayList<>();
        sources.add(direct(model.getEmbedding(), "model.embed_tokens.weight"));
        for (int i = 0; i < spec.numLayers(); i++) {
            DecoderLayer layer = model.getLayers().get(i);
            String p = "model.layers." + i + ".";
            sources.add(direct(norm(layer.getInputNorm()), p + "input_layernorm.weight"));
            sources.add(
                    direct(
                            norm(layer.getPostAttentionNorm()),
                            p + "post_attention_layernorm.weight"));
            if (layer.getAttention() instanceof MixtureOfAttentionHeads moa) {
                moaSources(sources, moa, spec, p + "self_attention.");
            } else {
                attentionSources(sources, layer.getAttention(), p + "self_attn.");
            }
            if (layer.getMoe() != null) {
                moeSources(sources, layer.getMoe(), spec, p, checkpoint);
            } else {
                dense(sources, layer.getDense(), p + "mlp.");
            }
        }
        sources.add(direct(norm(model.getNorm()), "model.norm.weight"));
        if (model.getLmHead() != null) {
            sources.add(direct(model.getLmHead(), "lm_head.weight"));
        }
        return sources;
    }

    /**
     * Attention parameters are named after their checkpoint keys: {@code x_proj} is {@code
     * x_proj.weight}, {@code x_proj_bias} is {@code x_proj.bias}, and RMSNorm children are {@code
     * name.weight}.
     */
    private static void attentionSources(
            List<WeightSource> sources, AttentionBlock attention, String prefix) {
        for (Parameter parameter : attention.getDirectParameters().values()) {
            String name = parameter.getName();
            // gpt-oss's sinks are stored as self_attn.sinks.
            String key =
                    name.equals("sinks")
                            ? name
                            : name.endsWith("_bias")
                                    ? name.substring(0, name.length() - 5) + ".bias"
                                    : name + ".weight";
            sources.add(direct(parameter, prefix + key));
        }
        for (ai.djl.util.Pair<String, ai.djl.nn.Block> child : attention.getChildren()) {
            // Child names carry DJL's "NN" ordering prefix.
            String name = child.getKey().substring(2);
            sources.add(direct(norm((RmsNorm) child.getValue()), prefix + name + ".weight"));
        }
    }

    private static void moeSources(
            List<WeightSource> sources,
            MoeLayer moe,
            DecoderSpec spec,
            String p,
            Checkpoint checkpoint) {
        ExpertNames names = HfModelTypes.expertNames(spec.modelType());
        if (moe.getExperts() instanceof ClampedSwiGluExperts) {
            GptOssWeights.plan(sources, moe, p + "mlp.", spec.hiddenSize(), checkpoint);
            return;
        }
        if (names.fused()) {
            fusedMlpSources(sources, moe, spec, p + names.blocks().get(0));
            return;
        }
        String block = names.block(p, checkpoint::contains);
        // The router's weight shape is set at initialisation; the spec gives it now.
        Parameter router = moe.getRouter().getDirectParameters().get("weight");
        Shape routerShape = new Shape(moe.getSpec().router().numChoices(), spec.hiddenSize());
        sources.add(
                new WeightSource(
                        router,
                        List.of(block + "gate.weight"),
                        WeightSource.Kind.DIRECT,
                        routerShape));
        SwiGluExperts experts = (SwiGluExperts) moe.getExperts();
        if (checkpoint.contains(block + "experts.gate_up_proj")) {
            sources.add(direct(experts.getGateUpProj(), block + "experts.gate_up_proj"));
            sources.add(direct(experts.getDownProj(), block + "experts.down_proj"));
        } else {
            int e = moe.getSpec().experts().numExperts();
            String gateName = names.gate();
            String upName = names.up();
            String downName = names.down();
            List<String> gateUp = new ArrayList<>();
            List<String> down = new ArrayList<>();
            for (int j = 0; j < e; j++) {
                gateUp.add(block + "experts." + j + "." + gateName + ".weight");
            }
            for (int j = 0; j < e; j++) {
                gateUp.add(block + "experts." + j + "." + upName + ".weight");
                down.add(block + "experts." + j + "." + downName + ".weight");
            }
            Shape full = experts.getGateUpProj().getShape();
            Shape one = new Shape(full.get(1) / 2, full.get(2));
            sources.add(
                    new WeightSource(
                            experts.getGateUpProj(), gateUp, WeightSource.Kind.STACK_GATE_UP, one));
            Shape downShape = experts.getDownProj().getShape();
            sources.add(
                    new WeightSource(
                            experts.getDownProj(),
                            down,
                            WeightSource.Kind.STACK,
                            downShape.slice(1)));
        }
        if (moe.getRouter() instanceof GroupLimitedRouter limited
                && limited.getCorrectionBias() != null) {
            Parameter bias = limited.getCorrectionBias();
            Shape biasShape = new Shape(moe.getSpec().router().numExperts());
            sources.add(
                    new WeightSource(
                            bias,
                            List.of(block + "gate.e_score_correction_bias"),
                            WeightSource.Kind.DIRECT,
                            biasShape));
        }
        SwiGluFeedForward shared = moe.getSharedExpert();
        if (shared != null && shared.getOutputGate() != null) {
            dense(sources, shared, block + "shared_expert.");
            sources.add(direct(shared.getOutputGate(), block + "shared_expert_gate.weight"));
        } else if (shared != null) {
            // DeepSeek: n_shared_experts merged into one ungated FFN.
            dense(sources, shared, block + "shared_experts.");
        }
    }

    private static void moaSources(
            List<WeightSource> sources,
            MixtureOfAttentionHeads moa,
            DecoderSpec spec,
            String prefix) {
        sources.add(direct(moa.getKvProj(), prefix + "kv_proj.weight"));
        sources.add(
                new WeightSource(
                        moa.getRouter().getDirectParameters().get("weight"),
                        List.of(prefix + "experts.router.layer.weight"),
                        WeightSource.Kind.DIRECT,
                        new Shape(moa.getRouter().getSpec().numChoices(), spec.hiddenSize())));
        sources.add(
                direct(moa.getInputLinear().getWeight(), prefix + "experts.input_linear.weight"));
        sources.add(
                direct(moa.getOutputLinear().getWeight(), prefix + "experts.output_linear.weight"));
        sources.add(direct(moa.getBias(), prefix + "experts.bias"));
    }

    /** JetMoE and GraniteMoE: router.layer, input_linear [E, 2I, H], output_linear [E, H, I]. */
    private static void fusedMlpSources(
            List<WeightSource> sources, MoeLayer moe, DecoderSpec spec, String prefix) {
        sources.add(
                new WeightSource(
                        moe.getRouter().getDirectParameters().get("weight"),
                        List.of(prefix + "router.layer.weight"),
                        WeightSource.Kind.DIRECT,
                        new Shape(moe.getSpec().router().numChoices(), spec.hiddenSize())));
        SwiGluExperts experts = (SwiGluExperts) moe.getExperts();
        sources.add(direct(experts.getGateUpProj(), prefix + "input_linear.weight"));
        sources.add(direct(experts.getDownProj(), prefix + "output_linear.weight"));
        if (moe.getOutputBias() != null) {
            sources.add(direct(moe.getOutputBias(), prefix + "bias"));
        }
    }

    private static void dense(List<WeightSource> sources, SwiGluFeedForward ffn, String prefix) {
        sources.add(direct(ffn.getGateProj(), prefix + "gate_proj.weight"));
        sources.add(direct(ffn.getUpProj(), prefix + "up_proj.weight"));
        sources.add(direct(ffn.getDownProj(), prefix + "down_proj.weight"));
    }

    private static Parameter norm(RmsNorm norm) {
        return norm.getWeight();
    }

    private static WeightSource direct(Parameter target, String key) {
        return WeightSource.direct(target, key);
    }
}
