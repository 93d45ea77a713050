package io.moezoo.zoo.language;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import io.moezoo.blocks.attention.AttentionBlock;
import io.moezoo.blocks.attention.MixtureOfAttentionHeads;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.experts.SwiGluExperts;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.routing.GroupLimitedRouter;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.zoo.checkpoint.Checkpoint;
import io.moezoo.zoo.checkpoint.MalformedCheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a Hugging Face MoE checkpoint directory ({@code config.json} + safetensors) into a {@link
 * MoeCausalLm}.
 *
 * <p>The config is mapped first, then every parameter is matched with its checkpoint keys and every
 * shape is checked against the config before any weight is read; all problems are reported
 * together. Experts may be stored per expert on the hub ({@code experts.j.w1/w3/w2} or {@code
 * gate_proj/up_proj/down_proj}) or fused as in transformers v5 ({@code experts.gate_up_proj [E, 2I,
 * H]}, {@code experts.down_proj [E, H, I]}); per-expert weights are stacked into the fused layout,
 * gate rows first. A failed load frees everything it allocated.
 */
public final class HfCheckpointLoader {

    private HfCheckpointLoader() {}

    /** Where one parameter's values come from. */
    private record Source(Parameter target, List<String> keys, Kind kind, Shape keyShape) {}

    private enum Kind {
        /** One key, the parameter's shape. */
        DIRECT,
        /** E keys of gate rows then E keys of up rows, stacked to {@code [E, 2I, H]}. */
        STACK_GATE_UP,
        /** E keys stacked along a new leading axis. */
        STACK
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
        DecoderSpec spec = HfConfigMapper.read(dir.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(dir);
        int[] fp8Block = HfConfigMapper.fp8BlockSize(dir.resolve("config.json"));
        if (fp8Block != null) {
            checkpoint = checkpoint.withFp8BlockSize(fp8Block[0], fp8Block[1]);
        }
        MoeCausalLm model = new MoeCausalLm(spec);
        List<Source> sources = plan(model, spec, checkpoint);
        NDManager owner = manager.newSubManager();
        try {
            // Zeros, not random values: calloc'ed pages stay untouched until the real weight
            // replaces them, so loading needs about one copy of the weights, not two.
            model.setInitializer(new ConstantInitializer(0f), p -> true);
            model.initialize(owner, DataType.FLOAT32, new Shape(1, 1));
            for (Source source : sources) {
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
    private static void write(Checkpoint checkpoint, Source source, NDManager scope)
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

    private static List<Source> plan(MoeCausalLm model, DecoderSpec spec, Checkpoint checkpoint)
            throws MalformedCheckpointException {
        List<Source> sources = new ArrayList<>();
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
        validate(sources, checkpoint);
        return sources;
    }

    /**
     * Attention parameters are named after their checkpoint keys: {@code x_proj} is {@code
     * x_proj.weight}, {@code x_proj_bias} is {@code x_proj.bias}, and RMSNorm children are {@code
     * name.weight}.
     */
    private static void attentionSources(
            List<Source> sources, AttentionBlock attention, String prefix) {
        for (Parameter parameter : attention.getDirectParameters().values()) {
            String name = parameter.getName();
            String key =
                    name.endsWith("_bias")
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
            List<Source> sources, MoeLayer moe, DecoderSpec spec, String p, Checkpoint checkpoint) {
        if (spec.modelType().equals("jetmoe")) {
            jetMoeMlpSources(sources, moe, spec, p + "mlp.");
            return;
        }
        boolean mixtralNames = spec.modelType().equals("mixtral");
        String block =
                mixtralNames && !checkpoint.contains(p + "mlp.gate.weight")
                        ? p + "block_sparse_moe."
                        : p + "mlp.";
        // The router's weight shape is set at initialisation; the spec gives it now.
        Parameter router = moe.getRouter().getDirectParameters().get("weight");
        Shape routerShape = new Shape(moe.getSpec().router().getNumChoices(), spec.hiddenSize());
        sources.add(new Source(router, List.of(block + "gate.weight"), Kind.DIRECT, routerShape));
        SwiGluExperts experts = (SwiGluExperts) moe.getExperts();
        if (checkpoint.contains(block + "experts.gate_up_proj")) {
            sources.add(direct(experts.getGateUpProj(), block + "experts.gate_up_proj"));
            sources.add(direct(experts.getDownProj(), block + "experts.down_proj"));
        } else {
            int e = moe.getSpec().experts().getNumExperts();
            String gateName = mixtralNames ? "w1" : "gate_proj";
            String upName = mixtralNames ? "w3" : "up_proj";
            String downName = mixtralNames ? "w2" : "down_proj";
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
            sources.add(new Source(experts.getGateUpProj(), gateUp, Kind.STACK_GATE_UP, one));
            Shape downShape = experts.getDownProj().getShape();
            sources.add(new Source(experts.getDownProj(), down, Kind.STACK, downShape.slice(1)));
        }
        if (moe.getRouter() instanceof GroupLimitedRouter limited
                && limited.getCorrectionBias() != null) {
            Parameter bias = limited.getCorrectionBias();
            Shape biasShape = new Shape(moe.getSpec().router().getNumExperts());
            sources.add(
                    new Source(
                            bias,
                            List.of(block + "gate.e_score_correction_bias"),
                            Kind.DIRECT,
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
            List<Source> sources, MixtureOfAttentionHeads moa, DecoderSpec spec, String prefix) {
        sources.add(direct(moa.getKvProj(), prefix + "kv_proj.weight"));
        sources.add(
                new Source(
                        moa.getRouter().getDirectParameters().get("weight"),
                        List.of(prefix + "experts.router.layer.weight"),
                        Kind.DIRECT,
                        new Shape(moa.getRouter().getSpec().getNumChoices(), spec.hiddenSize())));
        sources.add(
                direct(moa.getInputLinear().getWeight(), prefix + "experts.input_linear.weight"));
        sources.add(
                direct(moa.getOutputLinear().getWeight(), prefix + "experts.output_linear.weight"));
        sources.add(direct(moa.getBias(), prefix + "experts.bias"));
    }

    private static void jetMoeMlpSources(
            List<Source> sources, MoeLayer moe, DecoderSpec spec, String prefix) {
        sources.add(
                new Source(
                        moe.getRouter().getDirectParameters().get("weight"),
                        List.of(prefix + "router.layer.weight"),
                        Kind.DIRECT,
                        new Shape(moe.getSpec().router().getNumChoices(), spec.hiddenSize())));
        SwiGluExperts experts = (SwiGluExperts) moe.getExperts();
        sources.add(direct(experts.getGateUpProj(), prefix + "input_linear.weight"));
        sources.add(direct(experts.getDownProj(), prefix + "output_linear.weight"));
        sources.add(direct(moe.getOutputBias(), prefix + "bias"));
    }

    private static void dense(List<Source> sources, SwiGluFeedForward ffn, String prefix) {
        sources.add(direct(ffn.getGateProj(), prefix + "gate_proj.weight"));
        sources.add(direct(ffn.getUpProj(), prefix + "up_proj.weight"));
        sources.add(direct(ffn.getDownProj(), prefix + "down_proj.weight"));
    }

    private static Parameter norm(RmsNorm norm) {
        return norm.getWeight();
    }

    private static Source direct(Parameter target, String key) {
        return new Source(target, List.of(key), Kind.DIRECT, target.getShape());
    }

    private static void validate(List<Source> sources, Checkpoint checkpoint)
            throws MalformedCheckpointException {
        List<String> problems = new ArrayList<>();
        for (Source source : sources) {
            for (String key : source.keys()) {
                if (!checkpoint.contains(key)) {
                    problems.add("missing tensor '" + key + "'");
                } else if (!checkpoint.shape(key).equals(source.keyShape())) {
                    problems.add(
                            "tensor '"
                                    + key
                                    + "' has shape "
                                    + checkpoint.shape(key)
                                    + " but config.json implies "
                                    + source.keyShape());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new MalformedCheckpointException(
                    checkpoint.location()
                            + ": checkpoint does not match config.json: "
                            + String.join("; ", problems.subList(0, Math.min(problems.size(), 20)))
                            + (problems.size() > 20
                                    ? "; and " + (problems.size() - 20) + " more"
                                    : ""));
        }
    }
}
