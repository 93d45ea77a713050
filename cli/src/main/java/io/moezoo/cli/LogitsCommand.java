package io.moezoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.engine.model.CausalLm;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import io.moezoo.formats.StrictJson;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo logits DIR IDS}: prints the logits at every position as JSON.
 *
 * <p>The checkpoint is validated completely first ({@link HfCheckpointLoader#inspect}, the same
 * path as {@code info}), then the token ids against its spec: at most {@code
 * max_position_embeddings} of them, each in [0, vocab); only then are weights read and the engine
 * started.
 */
@Command(
        name = "logits",
        mixinStandardHelpOptions = true,
        description =
                "Print {\"logits\": [[...], ...]} of a Hugging Face checkpoint for token ids.")
final class LogitsCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "CHECKPOINT",
            description = "Directory with config.json and safetensors.")
    Path checkpoint;

    @Parameters(
            index = "1",
            paramLabel = "IDS",
            description = "Comma-separated token ids, e.g. 1,15,22.")
    String ids;

    @Mixin EngineOption engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException("checkpoint directory not found: " + checkpoint);
        }
        HfCheckpoint validated = HfCheckpointLoader.inspect(checkpoint);
        DecoderSpec decoder = validated.spec();
        long[] tokens = parse(ids, decoder);
        float[] values = engine.reference() ? reference(validated, tokens) : onEngine(tokens);
        printLogits(tokens, decoder, values);
        return 0;
    }

    /** The logits on the MoeJava engine: the weights mapped, never widened. */
    private float[] onEngine(long[] tokens) throws Exception {
        try (TensorSource source = TensorSources.open(checkpoint)) {
            CausalLm model = CausalLm.load(source);
            return model.forward(tokens, model.newCache(), false);
        }
    }

    /** The logits of the reference blocks on PyTorch. */
    private static float[] reference(HfCheckpoint validated, long[] tokens) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(HfBlockFactory.REFERENCE_ENGINE)) {
            MoeCausalLm model = validated.load(manager);
            NDArray logits =
                    model.logits(
                            new ParameterStore(manager, false),
                            manager.create(tokens, new Shape(1, tokens.length)),
                            null,
                            false,
                            null);
            return logits.toFloatArray();
        }
    }

    private void printLogits(long[] tokens, DecoderSpec decoder, float[] values) {
        int vocab = decoder.vocabSize();
        StringBuilder json = new StringBuilder("{\"logits\": [");
        for (int p = 0; p < tokens.length; p++) {
            json.append(p == 0 ? "[" : ", [");
            for (int v = 0; v < vocab; v++) {
                json.append(v == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%.7g", values[p * vocab + v]));
            }
            json.append(']');
        }
        spec.commandLine().getOut().println(json.append("]}"));
    }

    /**
     * Parses comma-separated ids: counted before any is parsed (at most the model's context), each
     * an integer in [0, vocab).
     */
    static long[] parse(String text, DecoderSpec decoder) {
        int context = decoder.maxPositionEmbeddings();
        long count = 1 + text.chars().filter(c -> c == ',').count();
        if (text.isBlank()) {
            throw new IllegalArgumentException("no token ids given");
        }
        if (count > context) {
            throw new IllegalArgumentException(
                    count
                            + " token ids exceed the model's context of "
                            + context
                            + " positions (max_position_embeddings)");
        }
        String[] parts = text.split(",", -1);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            try {
                out[i] = Long.parseLong(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "token ids must be comma-separated integers, got " + StrictJson.name(part));
            }
            if (out[i] < 0 || out[i] >= decoder.vocabSize()) {
                throw new IllegalArgumentException(
                        "Token id "
                                + out[i]
                                + " is outside the vocabulary [0, "
                                + decoder.vocabSize()
                                + ")");
            }
        }
        return out;
    }
}
