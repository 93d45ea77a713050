package io.moezoo.engine.gguf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Opens every file of a directory with {@link GgufFile#open} (and {@link GgufSource#open}) and
 * prints one line per file: {@code name<TAB>exception class<TAB>message}; run in a small-heap child
 * JVM by {@link HostileGgufTest}.
 */
public final class HostileGgufMain {

    private HostileGgufMain() {}

    /**
     * Runs.
     *
     * @param args the directory
     * @throws Exception if the directory cannot be listed
     */
    public static void main(String[] args) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : files.sorted().toList()) {
                String outcome;
                try {
                    GgufSource.open(f).close();
                    outcome = "OK\t";
                } catch (Throwable t) {
                    outcome = t.getClass().getName() + "\t" + t.getMessage();
                }
                System.out.println(f.getFileName() + "\t" + outcome.replace('\n', ' '));
            }
        }
    }
}
