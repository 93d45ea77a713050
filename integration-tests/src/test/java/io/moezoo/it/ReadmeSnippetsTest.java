package io.moezoo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java snippet of the README compiles as written, against the library artifacts only (not the
 * CLI or the recipes), and runs to completion in a fresh JVM in the {@link Workspace}.
 */
class ReadmeSnippetsTest {

    private static final Path README = Paths.get(System.getProperty("moezoo.readme", "../README.md"));

    @Test
    void theReadmeHasSnippets() throws IOException {
        assertTrue(ReadmeSnippets.read(README).size() >= 5, "README java snippets");
    }

    @TestFactory
    Stream<DynamicTest> everySnippetCompilesAndRuns() throws IOException {
        List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.read(README);
        assertFalse(snippets.isEmpty());
        return snippets.stream()
                .map(s -> DynamicTest.dynamicTest("README line " + s.line(), () -> compileAndRun(s)));
    }

    private static void compileAndRun(ReadmeSnippets.Snippet snippet) throws Exception {
        Path work = Workspace.prepare();
        Path classes = Files.createDirectories(work.resolve("snippets").resolve(snippet.className()));
        Path source = classes.resolve(snippet.className() + ".java");
        Files.writeString(source, snippet.source());
        String classPath = JavaProcess.libraryClassPath();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source.toFile());
            boolean ok =
                    javac.getTask(
                                    diagnostics,
                                    files,
                                    null,
                                    List.of(
                                            "-cp",
                                            classPath,
                                            "-d",
                                            classes.toString(),
                                            "--add-modules",
                                            "jdk.incubator.vector",
                                            "-proc:none",
                                            "-nowarn"),
                                    null,
                                    units)
                            .call();
            assertTrue(
                    ok,
                    "README snippet at line "
                            + snippet.line()
                            + " does not compile:\n"
                            + diagnostics
                            + "\n"
                            + snippet.source());
        }
        JavaProcess.Result r =
                JavaProcess.run(
                        work,
                        classPath + java.io.File.pathSeparator + classes,
                        List.of(),
                        snippet.className());
        assertEquals(0, r.code(), "README snippet at line " + snippet.line() + ": " + r.describe());
    }
}
