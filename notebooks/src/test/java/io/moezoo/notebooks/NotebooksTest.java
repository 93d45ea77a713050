package io.moezoo.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Executes every {@code notebooks/*.ipynb} headless with the project's Java kernel and checks the
 * result: no cell error (the failing cell and its error are reported), every code cell executed,
 * outputs present, and an {@code image/png} output in each cell that renders a chart.
 *
 * <p>{@code -Dnotebooks.update=true} writes the executed notebooks back (outputs and plots
 * included, absolute local paths replaced by placeholders) so the committed notebooks carry their
 * results; {@link #committedNotebooksCarryOutputs()} checks that they do. {@code
 * -Dnotebooks.only=NAME} restricts the run to notebooks whose file name contains NAME.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotebooksTest {

    private static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "system property " + name + " is not set (run through Maven)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static final Path NOTEBOOKS = property("notebooks.dir");
    private static final Path PROJECT = property("notebooks.project.dir");
    private static final Path JUPYTER = property("notebooks.jupyter.dir");
    private static final Path LOCAL_REPOSITORY = property("notebooks.local.repository");
    private static final Path EXECUTED = property("notebooks.executed.dir");
    private static final String KERNEL = System.getProperty("notebooks.kernel.name");

    static List<Path> notebooks() throws IOException {
        String only = System.getProperty("notebooks.only", "");
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ipynb"))
                    .filter(f -> only.isBlank() || f.getFileName().toString().contains(only))
                    .sorted()
                    .toList();
        }
    }

    @Test
    @Order(1)
    void kernelSpecIsHermetic() throws IOException {
        Path dir = JUPYTER.resolve("kernels").resolve(KERNEL);
        JsonObject spec =
                JsonParser.parseString(Files.readString(dir.resolve("kernel.json")))
                        .getAsJsonObject();
        String java = spec.getAsJsonArray("argv").get(0).getAsString();
        Path home = Path.of(java).getParent().getParent();
        JdkLocator.Jdk jdk =
                JdkLocator.inspect(home).orElseThrow(() -> new AssertionError(java + " is no JDK"));
        assertTrue(jdk.feature() >= JdkLocator.MIN_FEATURE, "kernel JDK " + jdk);
        assertTrue(
                spec.getAsJsonArray("argv")
                        .toString()
                        .contains(dir.resolve(KernelSpec.JAR).toString()));
        JsonObject env = spec.getAsJsonObject("env");
        assertEquals("true", env.get("DJL_OFFLINE").getAsString());
        assertEquals("true", env.get("OPT_OUT_TRACKING").getAsString());
        assertTrue(Path.of(env.get("DJL_CACHE_DIR").getAsString()).startsWith(JUPYTER.getParent()));
        // The kernel's repository: this checkout's project artifacts, links for everything else.
        Path repository = dir.resolve(env.get("RJK_MIMA_CACHE").getAsString());
        ReactorRepository reactor = new ReactorRepository(PROJECT, LOCAL_REPOSITORY);
        reactor.writeTo(repository);
        assertEquals(
                LOCAL_REPOSITORY.resolve("ai").toRealPath(), repository.resolve("ai").toRealPath());
        Path blocks = repository.resolve("io/moezoo/moe-blocks");
        assertFalse(Files.isSymbolicLink(blocks), "project artifacts are copies, not links");
        Path pom = PROJECT.resolve("moe-blocks/pom.xml");
        try (var versions = Files.list(blocks)) {
            Path versionDir = versions.findFirst().orElseThrow();
            Path copied = versionDir.resolve("moe-blocks-" + versionDir.getFileName() + ".pom");
            assertEquals(-1L, Files.mismatch(pom, copied), copied + " is this checkout's pom");
        }
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> executesEveryNotebook() throws Exception {
        List<Path> notebooks = notebooks();
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS);
        NotebookExecutor.requireJupyter();
        Path kernelJson = JUPYTER.resolve("kernels").resolve(KERNEL).resolve("kernel.json");
        assertTrue(
                Files.isRegularFile(kernelJson),
                "kernelspec missing: "
                        + kernelJson
                        + " (the build writes it in process-test-classes)");
        int timeout = Integer.parseInt(System.getProperty("notebooks.cell.timeout", "600"));
        NotebookExecutor executor = new NotebookExecutor(JUPYTER, KERNEL, EXECUTED, timeout);
        ReactorRepository repository = new ReactorRepository(PROJECT, LOCAL_REPOSITORY);
        repository.writeTo(kernelJson.resolveSibling(KernelSpec.REPOSITORY_DIR));
        boolean update = Boolean.getBoolean("notebooks.update");
        return notebooks.stream()
                .map(
                        file ->
                                DynamicTest.dynamicTest(
                                        file.getFileName().toString(),
                                        () -> {
                                            Notebook source = Notebook.read(file);
                                            List<String> stale =
                                                    repository.problems(source.dependencies());
                                            if (!stale.isEmpty()) {
                                                fail(String.join("\n", stale));
                                            }
                                            long start = System.nanoTime();
                                            Path executed = executor.execute(file);
                                            double seconds = (System.nanoTime() - start) / 1e9;
                                            System.out.printf(
                                                    "%s executed in %.1f s%n",
                                                    file.getFileName(), seconds);
                                            List<String> problems =
                                                    Notebook.read(executed).executionProblems();
                                            if (!problems.isEmpty()) {
                                                fail(String.join("\n\n", problems));
                                            }
                                            if (update) {
                                                Files.writeString(
                                                        file, portable(Files.readString(executed)));
                                            }
                                        }));
    }

    /**
     * Replaces this machine's paths in outputs by placeholders, so committed outputs are stable.
     */
    static String portable(String json) {
        String repository =
                JUPYTER.resolve("kernels")
                        .resolve(KERNEL)
                        .resolve(KernelSpec.REPOSITORY_DIR)
                        .toString();
        return json.replace(repository, "~/.m2/repository")
                .replace(LOCAL_REPOSITORY.toString(), "~/.m2/repository")
                .replace(PROJECT.toString(), "<project>");
    }

    @Test
    @Order(4)
    void aFailingCellFailsTheRunWithItsError() throws Exception {
        NotebookExecutor.requireJupyter();
        Path failing = EXECUTED.resolveSibling("failing-notebook").resolve("failing.ipynb");
        Files.createDirectories(failing.getParent());
        try (InputStream in = NotebooksTest.class.getResourceAsStream("failing.ipynb")) {
            Files.copy(in, failing, StandardCopyOption.REPLACE_EXISTING);
        }
        NotebookExecutor executor =
                new NotebookExecutor(JUPYTER, KERNEL, failing.getParent().resolve("out"), 120);
        AssertionError e = assertThrows(AssertionError.class, () -> executor.execute(failing));
        assertTrue(e.getMessage().contains("failing.ipynb failed"), e.getMessage());
        assertTrue(e.getMessage().contains("boom from the second cell"), e.getMessage());
        assertTrue(e.getMessage().contains("IllegalStateException"), e.getMessage());
        assertFalse(e.getMessage().contains("not reached"), "execution stops at the failing cell");
    }

    @Test
    @Order(3)
    void committedNotebooksCarryOutputs() throws IOException {
        List<Path> notebooks = notebooks();
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS);
        for (Path file : notebooks) {
            Notebook notebook = Notebook.read(file);
            assertEquals(
                    KERNEL,
                    notebook.kernelName(),
                    file.getFileName() + " must use the project kernel");
            List<String> problems = notebook.executionProblems();
            assertTrue(
                    problems.isEmpty(),
                    "committed "
                            + file.getFileName()
                            + " should carry clean outputs (refresh with"
                            + " -Dnotebooks.update=true):\n"
                            + String.join("\n", problems));
            String text = Files.readString(file);
            assertFalse(
                    text.contains(PROJECT.toString()),
                    file.getFileName() + " contains a local path (" + PROJECT + ")");
        }
    }
}
