package io.moezoo.cli;

import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.plots.ExpertLoadChart;
import io.moezoo.plots.TrainingCurves;
import io.moezoo.recipes.data.TextFiles;
import io.moezoo.recipes.demo.MoeDemo;
import io.moezoo.recipes.demo.MultiDomainTraining;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo train}: trains an MoE described by a spec file on a supported data set and reports
 * its accuracy and routing.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train an MoE from a spec on a supported data set.",
            "Data sets: multi-domain (4 synthetic domains, 4 classes; the spec is an MoE layer:"
                    + " {\"router\": ..., \"experts\": ...} as written by MoeLayerSpec.toJson)."
        })
final class TrainCommand implements Callable<Integer> {

    /** The most MoE layers. */
    static final int MAX_LAYERS = 16;

    /** The most epochs. */
    static final int MAX_EPOCHS = 1_000;

    /** The largest spec file, in bytes. */
    static final long MAX_SPEC_BYTES = 1 << 20;

    /** The most parameters the MoE layers may have together (about 200 MB of float32). */
    static final long MAX_PARAMETERS = 50_000_000L;

    @Option(
            names = "--dataset",
            defaultValue = "multi-domain",
            description = "Data set (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--spec",
            description =
                    "Spec JSON file (default: Mixtral-style 4 SwiGLU experts, top-2, width 32).")
    Path specFile;

    @Option(names = "--layers", defaultValue = "2", description = "MoE layers, 1..16 (default 2).")
    int layers;

    @Option(names = "--epochs", defaultValue = "12", description = "Epochs, 1..1000 (default 12).")
    int epochs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default 7).")
    long seed;

    @Option(
            names = "--plots",
            description =
                    "Directory to write training-curves.png (task and aux loss, test accuracy)"
                            + " and expert-load.png into.")
    Path plots;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (!dataset.equals("multi-domain")) {
            throw new IllegalArgumentException(
                    "Unknown data set '" + dataset + "'; supported: multi-domain");
        }
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException(
                    "--layers must be in 1.." + MAX_LAYERS + ", got " + layers);
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException(
                    "--epochs must be in 1.." + MAX_EPOCHS + ", got " + epochs);
        }
        if (plots != null) {
            OutputPaths.checkDirectory(plots, "--plots");
        }
        MoeLayerSpec layer =
                specFile == null
                        ? MoeLayerSpec.of(
                                RouterPresets.mixtral(4, 2), new SwiGluExpertSpec(4, 32, 64))
                        : readSpec(specFile);
        double parameters = layers * parameters(layer);
        if (parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s: %d layer(s) of this spec have about %,.0f parameters; at most %,d"
                                    + " are trained here",
                            specFile == null ? "the default spec" : specFile,
                            layers,
                            parameters,
                            MAX_PARAMETERS));
        }
        MultiDomainTraining.Config config =
                new MultiDomainTraining.Config(layer, layers, epochs, 3e-3f, 0.01f, 0.001f, seed);
        MultiDomainTraining.Result r =
                MultiDomainTraining.train(config, TerminalProgress.forConsole());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "trained %d MoE layer(s) of %s, %d experts, top-%d, for %d epochs%n",
                layers,
                RouterKinds.registry().kindOf(layer.router()).name(),
                layer.experts().numExperts(),
                layer.router().topK(),
                epochs);
        out.printf(
                Locale.ROOT,
                "final task loss %.4f, aux loss %.4f, test accuracy %.3f (chance %.3f)%n",
                r.taskLoss()[r.taskLoss().length - 1],
                r.auxLoss()[r.auxLoss().length - 1],
                r.testAccuracy()[r.testAccuracy().length - 1],
                0.25);
        out.print(MoeDemo.report(r));
        if (plots != null) {
            TrainingCurves.builder()
                    .setTaskLoss(r.taskLoss())
                    .optAuxLoss(r.auxLoss())
                    .optValidation("test accuracy", r.epochEndSteps(), r.testAccuracy())
                    .optTitle("MoE training on multi-domain")
                    .build()
                    .writePng(plots.resolve("training-curves.png"));
            ExpertLoadChart.builder()
                    .setLoadFractions(r.loadFractions())
                    .optTitle("Expert load per layer after training")
                    .build()
                    .writePng(plots.resolve("expert-load.png"));
            out.println("plots written to " + plots);
        }
        out.flush();
        return 0;
    }

    private static MoeLayerSpec readSpec(Path file) throws Exception {
        String json = TextFiles.readUtf8(file, MAX_SPEC_BYTES);
        try {
            return MoeLayerSpec.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException(file + ": the JSON is nested too deeply", e);
        }
    }

    /** An upper estimate of one layer's parameters: router, three matrices per expert, shared. */
    private static double parameters(MoeLayerSpec layer) {
        double hidden = layer.experts().hiddenSize();
        double perExpert = 3.0 * hidden * layer.experts().intermediateSize() + 3 * hidden;
        double shared =
                layer.sharedExpert() == null
                        ? 0
                        : 3.0 * hidden * layer.sharedExpert().intermediateSize();
        return layer.experts().numExperts() * perExpert + shared;
    }
}
