package io.moezoo.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes a notebook headless with {@code jupyter nbconvert --execute} and the project's own
 * kernelspec (found through {@code JUPYTER_PATH}; Jupyter's runtime, config and data folders are
 * redirected under {@code target/} so nothing is written to the user's home).
 */
final class NotebookExecutor {

    private final Path jupyterDir;
    private final String kernelName;
    private final Path outputDir;
    private final int cellTimeoutSeconds;

    NotebookExecutor(Path jupyterDir, String kernelName, Path outputDir, int cellTimeoutSeconds) {
        this.jupyterDir = jupyterDir.toAbsolutePath();
        this.kernelName = kernelName;
        this.outputDir = outputDir.toAbsolutePath();
        this.cellTimeoutSeconds = cellTimeoutSeconds;
    }

    /** Checks that nbconvert and nbclient are installed, with a hint where they come from. */
    static void requireJupyter() throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder("jupyter", "nbconvert", "--version")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "jupyter nbconvert is not available ("
                            + out.strip()
                            + "): apt-get install -y jupyter-nbconvert python3-nbclient"
                            + " (tools/install-data.sh does)");
        }
    }

    /**
     * Executes a notebook into the output folder (same file name).
     *
     * @return the executed notebook file
     * @throws AssertionError with nbconvert's report (the failing cell and its error) on failure
     */
    Path execute(Path notebook) throws IOException, InterruptedException {
        Files.createDirectories(outputDir);
        Path runtime = jupyterDir.resolveSibling("jupyter-runtime");
        Files.createDirectories(runtime);
        String name = notebook.getFileName().toString();
        Path log = outputDir.resolve(name.replaceAll("\\.ipynb$", "") + ".log");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "jupyter",
                                "nbconvert",
                                "--to",
                                "notebook",
                                "--execute",
                                "--ExecutePreprocessor.timeout=" + cellTimeoutSeconds,
                                // A JVM kernel starts slowly on a loaded 2-core machine.
                                "--ExecutePreprocessor.startup_timeout=180",
                                "--ExecutePreprocessor.kernel_name=" + kernelName,
                                "--ExecutePreprocessor.record_timing=False",
                                "--output-dir",
                                outputDir.toString(),
                                notebook.toAbsolutePath().toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(notebook.toAbsolutePath().getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JUPYTER_PATH", jupyterDir.toString());
        env.put("JUPYTER_DATA_DIR", jupyterDir.toString());
        env.put("JUPYTER_RUNTIME_DIR", runtime.toString());
        env.put("JUPYTER_CONFIG_DIR", jupyterDir.resolveSibling("jupyter-config").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        Process process = builder.start();
        // nbconvert enforces the per-cell limit; this bounds a hung kernel start or shutdown.
        long budgetMinutes = 30;
        if (!process.waitFor(budgetMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(
                    name + " did not finish within " + budgetMinutes + " minutes; log: " + log);
        }
        Path executed = outputDir.resolve(name);
        if (process.exitValue() != 0) {
            throw new AssertionError(
                    name
                            + " failed (nbconvert exit "
                            + process.exitValue()
                            + "), log "
                            + log
                            + ":\n"
                            + tail(withoutAnsiColours(Files.readString(log)), 6000));
        }
        if (!Files.isRegularFile(executed)) {
            throw new AssertionError("nbconvert wrote no " + executed + "; log: " + log);
        }
        return executed;
    }

    /** The kernel colours its messages; the report is read as plain text. */
    static String withoutAnsiColours(String text) {
        return text.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    private static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }
}
