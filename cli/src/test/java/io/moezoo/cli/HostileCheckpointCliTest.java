package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.hf.HostileCheckpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every hostile checkpoint of {@code hf/src/test/resources/hostile/cases.json}, and hostile token
 * ids, through the real command line in child JVMs ({@link ChildCli}: {@code -Xmx256m}, a
 * deadline): {@code info} and {@code logits} each end in exit code 1 with exactly one {@code
 * error:} line naming the problem and no stack trace, and both give the same line (they share one
 * validation path). Config and file problems are found before the engine loads, so each child takes
 * about a JVM start-up; two run at a time.
 */
class HostileCheckpointCliTest {

    private static final Path ZOO = Paths.get("..", "hf");
    private static final Path OUT = Paths.get("target", "hostile-cli");
    private static final Path FIXTURE = ZOO.resolve(HostileCheckpoints.FIXTURES).resolve("olmoe");

    @Test
    void everyHostileCheckpointIsRefusedByInfoAndLogitsWithOneCleanLine() throws Exception {
        List<HostileCheckpoints.Case> cases = HostileCheckpoints.load(ZOO);
        assertTrue(cases.size() >= 100, "cases: " + cases.size());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<ChildCli.Result[]>> runs = new ArrayList<>();
        try {
            for (HostileCheckpoints.Case c : cases) {
                String dir = HostileCheckpoints.build(c, ZOO, OUT).toString();
                runs.add(
                        pool.submit(
                                () ->
                                        new ChildCli.Result[] {
                                            ChildCli.run("info", dir),
                                            ChildCli.run("logits", dir, "1,2,3")
                                        }));
            }
            List<Executable> checks = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                HostileCheckpoints.Case c = cases.get(i);
                ChildCli.Result[] r = runs.get(i).get();
                String[] fragments = c.expect().toArray(String[]::new);
                checks.add(() -> r[0].assertRefused(fragments));
                checks.add(() -> r[1].assertRefused(fragments));
                checks.add(
                        () ->
                                assertEquals(
                                        r[0].errorLines(),
                                        r[1].errorLines(),
                                        c.name() + ": info and logits refuse alike"));
            }
            assertAll(checks);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileTokenIdsAreRefusedBeforeTheEngineRuns() throws Exception {
        String fixture = FIXTURE.toString();
        StringBuilder tooMany = new StringBuilder("1");
        for (int i = 1; i < 20_000; i++) {
            tooMany.append(",1");
        }
        String[][] cases = {
            {"-1", "Token id -1 is outside the vocabulary [0, 64)"},
            {"1,64", "Token id 64 is outside the vocabulary [0, 64)"},
            {"1,99999999999999999999", "must be comma-separated integers"},
            {"1,,2", "must be comma-separated integers, got ''"},
            {"1,x\u007f", "got 'x\\u007f'"},
            {"", "no token ids given"},
            {"1,2,3,".repeat(21) + "4,5", "65 token ids exceed the model's context of 64"},
            {tooMany.toString(), "20000 token ids exceed the model's context of 64 positions"},
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ChildCli.Result>> runs = new ArrayList<>();
            for (String[] c : cases) {
                runs.add(pool.submit(() -> ChildCli.run("logits", fixture, c[0])));
            }
            List<Executable> checks = new ArrayList<>();
            for (int i = 0; i < cases.length; i++) {
                ChildCli.Result r = runs.get(i).get();
                String expected = cases[i][1];
                checks.add(() -> r.assertRefused(expected));
            }
            assertAll(checks);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMillionTokenIdsAreRefusedByTheirCount() {
        String ids = "1,".repeat(999_999) + "1";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code =
                MoeZooCli.run(
                        new String[] {"logits", FIXTURE.toString(), ids},
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(MoeZooCli.BAD_INPUT, code, err.toString());
        assertEquals(
                "error: 1000000 token ids exceed the model's context of 64 positions"
                        + " (max_position_embeddings)",
                err.toString().strip());
        assertTrue(millis < 10_000, "took " + millis + " ms");
    }
}
