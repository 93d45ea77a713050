package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile inputs through the real command line: each case runs {@code moe-zoo} in a child JVM with
 * a 256 MB heap and a deadline ({@link ChildCli}) and must end in exactly one {@code error:} line
 * that names the reason, exit code 1 (bad input) or 2 (bad usage), no stack trace and no hang. The
 * cases (prompts, token counts and sampling options in {@link HostilePromptCases}; images, CSV
 * series in {@link HostileFileCases}; horizons, output paths, sizes and command lines in {@link
 * HostileCommandCases}) run two at a time.
 */
class HostileInputCliTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> everyHostileInputIsRefusedInOneClearLine() throws Exception {
        HostileFixtures fixtures =
                HostileFixtures.write(Paths.get("target", "hostile-inputs").toAbsolutePath());
        List<HostileCase> cases = new ArrayList<>(HostilePromptCases.cases(fixtures));
        cases.addAll(HostileFileCases.cases(fixtures));
        cases.addAll(HostileCommandCases.cases(fixtures));
        assertTrue(cases.size() >= 80, cases.size() + " cases");
        long start = System.nanoTime();
        List<Future<ChildCli.Result>> results = new ArrayList<>();
        for (HostileCase c : cases) {
            results.add(
                    POOL.submit(
                            () ->
                                    ChildCli.run(
                                            ChildCli.DEFAULT_HEAP,
                                            ChildCli.DEFAULT_DEADLINE,
                                            c.stdin(),
                                            c.args().toArray(new String[0]))));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            HostileCase c = cases.get(i);
            Future<ChildCli.Result> result = results.get(i);
            boolean last = i == cases.size() - 1;
            tests.add(
                    DynamicTest.dynamicTest(
                            c.name(),
                            () -> {
                                result.get()
                                        .assertRefused(
                                                c.code(), c.fragments().toArray(new String[0]));
                                if (last) {
                                    System.out.printf(
                                            "%d hostile command lines in %.1f s%n",
                                            cases.size(), (System.nanoTime() - start) / 1e9);
                                }
                            }));
        }
        return tests.stream();
    }

    /**
     * A genuine out-of-memory failure, not one thrown by a test: brown-moe does not load in a 16 MB
     * heap, and the run must still end in one {@code error:} line. (Should the model ever load in
     * 16 MB, the run succeeds and only the absence of a stack trace is checked.)
     */
    @Test
    void aRealOutOfMemoryErrorIsOneLine() throws Exception {
        ChildCli.Result r =
                ChildCli.run(
                        "-Xmx16m",
                        Duration.ofSeconds(60),
                        null,
                        "generate",
                        "brown-moe",
                        "The jury said",
                        "--max-new-tokens",
                        "2");
        if (r.code() == 0) {
            r.assertSucceeded();
        } else {
            r.assertRefused("out of memory");
        }
    }
}
