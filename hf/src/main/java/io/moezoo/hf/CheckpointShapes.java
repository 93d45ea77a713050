package io.moezoo.hf;

import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a checkpoint's tensors against its config: first the counts (vocabulary, hidden size,
 * layers, experts) from a handful of tensors, before a model with those counts is even constructed;
 * then, once the parameters are planned, every key, shape and dtype. Problems are reported together
 * (the first {@value #MAX_REPORTED}).
 */
final class CheckpointShapes {

    private static final int MAX_REPORTED = 20;

    private CheckpointShapes() {}

    /**
     * Checks the counts of the config against the checkpoint before anything proportional to them
     * is allocated: the embedding is {@code [vocab, hidden]}, every layer exists, every MoE layer
     * has a router of {@code [experts, hidden]} and its last expert.
     */
    static void precheck(DecoderSpec spec, Checkpoint checkpoint)
            throws MalformedCheckpointException {
        List<String> problems = new ArrayList<>();
        long v = spec.vocabSize();
        long h = spec.hiddenSize();
        expect(
                problems,
                checkpoint,
                "model.embed_tokens.weight",
                new Shape(v, h),
                "vocab_size, hidden_size");
        expect(problems, checkpoint, "model.norm.weight", new Shape(h), "hidden_size");
        if (!spec.tieWordEmbeddings()) {
            expect(
                    problems,
                    checkpoint,
                    "lm_head.weight",
                    new Shape(v, h),
                    "vocab_size, hidden_size");
        }
        String experts =
                HfModelTypes.find(spec.modelType())
                        .map(HfModelType::expertCountField)
                        .orElse("experts");
        for (int i = 0; i < spec.numLayers() && problems.size() < MAX_REPORTED; i++) {
            String p = "model.layers." + i + ".";
            if (!checkpoint.contains(p + "input_layernorm.weight")) {
                problems.add(
                        "missing tensor "
                                + StrictJson.name(p + "input_layernorm.weight")
                                + " (num_hidden_layers is "
                                + spec.numLayers()
                                + ")");
                continue;
            }
            if (spec.attention() instanceof MoaSpec moa) {
                expect(
                        problems,
                        checkpoint,
                        p + "self_attention.experts.router.layer.weight",
                        new Shape(moa.numExperts(), h),
                        experts + ", hidden_size");
            }
            MoeLayerSpec moe = spec.ffn().get(i);
            if (moe != null) {
                moeLayer(problems, checkpoint, spec, moe, p, experts);
            }
        }
        report(problems, checkpoint);
    }

    private static void moeLayer(
            List<String> problems,
            Checkpoint checkpoint,
            DecoderSpec spec,
            MoeLayerSpec moe,
            String p,
            String field) {
        Shape router = new Shape(moe.router().numChoices(), spec.hiddenSize());
        int e = moe.experts().numExperts();
        String hint = field + ", hidden_size";
        ExpertNames names = HfModelTypes.expertNames(spec.modelType());
        if (moe.experts() instanceof ClampedSwiGluExpertSpec) {
            expect(problems, checkpoint, GptOssWeights.router(p + "mlp."), router, hint);
            return;
        }
        if (names.fused()) {
            expect(
                    problems,
                    checkpoint,
                    p + names.blocks().get(0) + "router.layer.weight",
                    router,
                    hint);
            return;
        }
        String block = names.block(p, checkpoint::contains);
        expect(problems, checkpoint, block + "gate.weight", router, hint);
        String last = block + "experts." + (e - 1) + "." + names.down() + ".weight";
        if (!checkpoint.contains(block + "experts.gate_up_proj") && !checkpoint.contains(last)) {
            problems.add(
                    "missing tensor " + StrictJson.name(last) + " (" + field + " is " + e + ")");
        }
    }

    private static void expect(
            List<String> problems, Checkpoint checkpoint, String key, Shape shape, String fields) {
        if (!checkpoint.contains(key)) {
            problems.add("missing tensor " + StrictJson.name(key));
            return;
        }
        try {
            Shape actual = checkpoint.shape(key);
            if (!actual.equals(shape)) {
                problems.add(
                        "tensor "
                                + StrictJson.name(key)
                                + " has shape "
                                + actual
                                + " but config.json implies "
                                + shape
                                + " ("
                                + fields
                                + ")");
            }
        } catch (MalformedCheckpointException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * Checks that every planned key exists with the planned shape and can be loaded (a float dtype,
     * FP8 scales that fit; with {@code asFloat32}, each weight small enough to widen into one
     * float32 array, as the PyTorch path does, else only readable in place).
     */
    static void validate(List<WeightSource> sources, Checkpoint checkpoint, boolean asFloat32)
            throws MalformedCheckpointException {
        List<String> problems = new ArrayList<>();
        for (WeightSource source : sources) {
            for (String key : source.keys()) {
                if (problems.size() > MAX_REPORTED) {
                    break;
                }
                if (!checkpoint.contains(key)) {
                    problems.add("missing tensor " + StrictJson.name(key));
                    continue;
                }
                Shape actual = checkpoint.shape(key);
                if (!actual.equals(source.keyShape())) {
                    problems.add(
                            "tensor "
                                    + StrictJson.name(key)
                                    + " has shape "
                                    + actual
                                    + " but config.json implies "
                                    + source.keyShape());
                    continue;
                }
                String problem =
                        asFloat32 ? checkpoint.loadProblem(key) : checkpoint.storedProblem(key);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        report(problems, checkpoint);
    }

    private static void report(List<String> problems, Checkpoint checkpoint)
            throws MalformedCheckpointException {
        if (!problems.isEmpty()) {
            throw new MalformedCheckpointException(
                    checkpoint.location()
                            + ": checkpoint does not match config.json: "
                            + String.join(
                                    "; ",
                                    problems.subList(0, Math.min(problems.size(), MAX_REPORTED)))
                            + (problems.size() > MAX_REPORTED ? "; and more" : ""));
        }
    }
}
