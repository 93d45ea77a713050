package io.moezoo.cli;

import io.moezoo.engine.gguf.GgufExport;
import io.moezoo.engine.gguf.GgufType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moe-zoo gguf ...}: llama.cpp's GGUF files. */
@Command(
        name = "gguf",
        mixinStandardHelpOptions = true,
        description = "Convert between Hugging Face MoE checkpoints and GGUF (llama.cpp).",
        subcommands = {GgufCommand.Export.class})
final class GgufCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing subcommand: expected 'gguf export'");
    }

    /** Parses {@code --type}, case-insensitively. */
    static final class TypeConverter implements CommandLine.ITypeConverter<GgufType> {
        @Override
        public GgufType convert(String value) {
            try {
                return GgufType.parse(value);
            } catch (IllegalArgumentException e) {
                // Names the value and the export types (and why mxfp4 is not one).
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * {@code moe-zoo gguf export DIR OUT.gguf [--type T]}: a Hugging Face MoE checkpoint directory
     * (Mixtral, Qwen2-MoE, OLMoE, DeepSeek-V2/V3, GraniteMoE, GLM-4.5, gpt-oss) as a GGUF file for
     * llama.cpp, after the same validation as {@code info}.
     */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Export a Hugging Face MoE checkpoint directory to a GGUF file (llama.cpp"
                            + " architectures llama, qwen2moe, olmoe, deepseek2, granitemoe, glm4moe,"
                            + " gpt-oss).")
    static final class Export implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DIR", description = "Checkpoint directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "OUT.gguf", description = "GGUF file to write.")
        Path out;

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                defaultValue = "f32",
                converter = TypeConverter.class,
                description =
                        "Type of the weight matrices: f32, f16, bf16, q8_0 or q4_0 (default f32;"
                                + " norms, routers and biases stay f32; gpt-oss MXFP4 experts"
                                + " stay mxfp4, repacked).")
        GgufType type;

        @Spec CommandLine.Model.CommandSpec spec;

        /** {@inheritDoc} */
        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a checkpoint directory");
            }
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException(
                        "OUT.gguf "
                                + out
                                + " is a directory; give a file name, e.g. "
                                + out.resolve("model.gguf"));
            }
            OutputPaths.checkFile(out, "OUT.gguf");
            GgufExport.Summary summary = GgufExport.export(dir, out, type);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    Locale.ROOT,
                    "wrote %s: %s, %d tensors, %s, %,d bytes%n",
                    out,
                    summary.architecture(),
                    summary.tensors(),
                    type.name().toLowerCase(Locale.ROOT),
                    summary.bytes());
            return 0;
        }
    }
}
