package io.moezoo.cli;

import io.moezoo.recipes.ZooBuilder;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moe-zoo zoo build}: retrain every zoo artifact from scratch. */
@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        description = "Maintain the model zoo.",
        subcommands = {ZooCommand.Build.class})
final class ZooCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code zoo build}. */
    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description =
                    "Retrain zoo artifacts from scratch on the real data sets with their recorded"
                            + " recipes and seeds, rewriting files, cards and metadata.json.")
    static final class Build implements Callable<Integer> {

        @Option(
                names = "--repository",
                description =
                        "Repository directory to write (default: the embedded repository's"
                                + " sources, zoo-weights/src/main/resources/"
                                + ZooRepository.EMBEDDED_ROOT
                                + ").")
        Path repository;

        @Option(
                names = "--only",
                split = ",",
                description = "Rebuild only the recipes producing these artifact ids.")
        List<String> only;

        @Spec picocli.CommandLine.Model.CommandSpec spec;

        /** {@inheritDoc} */
        @Override
        public Integer call() throws Exception {
            Path root =
                    repository != null
                            ? repository
                            : Paths.get("zoo-weights", "src", "main", "resources")
                                    .resolve(ZooRepository.EMBEDDED_ROOT);
            for (String id : only == null ? List.<String>of() : only) {
                if (!ZooCatalog.artifactIds().contains(id)) {
                    throw new IllegalArgumentException(
                            "No zoo model '" + id + "'; models: " + ZooCatalog.artifactIds());
                }
            }
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(
                        "--repository "
                                + root
                                + (Files.exists(root) ? " is not a directory" : " does not exist")
                                + " (the zoo's repository directory, with model/ inside)");
            }
            OutputPaths.checkDirectory(root, "--repository");
            PrintWriter out = spec.commandLine().getOut();
            ZooBuilder.build(
                    root,
                    only == null ? new HashSet<>() : new HashSet<>(only),
                    line -> {
                        out.println(line);
                        out.flush();
                    });
            return 0;
        }
    }
}
