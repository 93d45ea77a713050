package io.moezoo.cli;

import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.zoo.ZooExport;
import io.moezoo.zoo.ZooCatalog;
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

/**
 * {@code moe-zoo export --onnx ID|DIR OUT}: a zoo model (by id, or a local zoo artifact directory
 * such as {@code zoo build} writes) as an ONNX directory (model.onnx, its tokenizer and model
 * files, its translator arguments) that DJL's OnnxRuntime engine loads with the zoo's translators
 * ({@code io.moezoo.onnx.zoo.OnnxCriteria}).
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export a zoo model (vision, time series, language) to ONNX (IR 8, opset 17) for"
                        + " DJL's OnnxRuntime engine.")
final class ExportCommand implements Callable<Integer> {

    @Option(
            names = "--onnx",
            required = true,
            paramLabel = "ID|DIR",
            description =
                    "Zoo model to export, e.g. vit-moe-fashion-mnist, or a local zoo artifact"
                            + " directory (with its metadata.json).")
    String source;

    @Parameters(index = "0", paramLabel = "OUT", description = "Directory to write.")
    Path out;

    @Option(
            names = "--dispatch",
            paramLabel = "MODE",
            defaultValue = "sparse",
            description =
                    "How MoE layers run their experts: sparse (each expert on its own tokens,"
                            + " default) or dense (every expert on every token).")
    String dispatch;

    @Spec CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        DispatchMode mode;
        try {
            mode = DispatchMode.valueOf(dispatch.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--dispatch must be sparse or dense, got " + dispatch);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("OUT " + out + " is a file; give a directory");
        }
        Path file;
        if (Files.isDirectory(Path.of(source))) {
            file = ZooExport.exportDirectory(Path.of(source), out, mode);
        } else if (ZooCatalog.artifactIds().contains(source)) {
            file = ZooExport.exportArtifact(source, out, mode);
        } else {
            throw new IllegalArgumentException(
                    FailureMessage.oneLine(
                            "no zoo model or artifact directory '"
                                    + source
                                    + "'; zoo models: "
                                    + ZooCatalog.artifactIds()));
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "wrote %s: %s, %s dispatch, %,d bytes%n",
                file,
                source,
                mode.name().toLowerCase(Locale.ROOT),
                Files.size(file));
        return 0;
    }
}
