package io.moezoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.zoo.language.HfCheckpointLoader;
import io.moezoo.zoo.language.MoeCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moe-zoo logits DIR IDS}: prints the logits at every position as JSON. */
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

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException("checkpoint directory not found: " + checkpoint);
        }
        long[] tokens = parse(ids);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(checkpoint, manager);
            NDArray logits =
                    model.logits(
                            new ParameterStore(manager, false),
                            manager.create(tokens, new Shape(1, tokens.length)),
                            null,
                            false,
                            null);
            float[] values = logits.toFloatArray();
            int vocab = model.getSpec().vocabSize();
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
        return 0;
    }

    private static long[] parse(String text) {
        String[] parts = text.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "token ids must be comma-separated integers, got '" + parts[i] + "'");
            }
        }
        return out;
    }
}
