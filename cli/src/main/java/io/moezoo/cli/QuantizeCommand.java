package io.moezoo.cli;

import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.QuantizedSafetensors;
import io.moezoo.hf.CheckpointQuantizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo quantize DIR --to q8_0|q4_0 OUT}: a block-quantised copy of a Hugging Face MoE
 * checkpoint ({@link CheckpointQuantizer}), loadable like any checkpoint.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description =
                "Write a Q8_0 or Q4_0 copy of a Hugging Face MoE checkpoint directory: the"
                        + " weights llama.cpp quantises become ggml blocks in safetensors (the"
                        + " format recorded in its metadata), norms, routers and biases are kept.")
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory.")
    String source;

    @Parameters(
            index = "1",
            paramLabel = "OUT",
            description = "The directory to create (absent or empty).")
    String out;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "q8_0 or q4_0.")
    BlockFormat format;

    @Spec CommandLine.Model.CommandSpec spec;

    /** Parses {@code --to}: exactly the names the metadata uses, in either case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<BlockFormat> {
        @Override
        public BlockFormat convert(String value) {
            BlockFormat format = BlockFormat.parse(value);
            if (format == null) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a format; expected q8_0 or q4_0");
            }
            return format;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        Path dir = Paths.get(source);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(source + " is not a checkpoint directory");
        }
        Path target = Paths.get(out);
        OutputPaths.checkDirectory(target.toAbsolutePath().normalize().getParent(), "OUT");
        CheckpointQuantizer.Summary summary = CheckpointQuantizer.quantize(dir, format, target);
        PrintWriter printer = spec.commandLine().getOut();
        printer.println(
                String.format(
                        Locale.ROOT,
                        "%s: %d tensors %s, %d kept, %d FP8 scales dropped; %d file(s), %,d bytes",
                        out,
                        summary.quantized(),
                        QuantizedSafetensors.quantizationName(format),
                        summary.kept(),
                        summary.dropped(),
                        summary.shards(),
                        summary.bytes()));
        return 0;
    }
}
