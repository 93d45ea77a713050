package io.moezoo.notebooks;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds a JDK that can run the Java kernel: rapaio-jupyter-kernel 3.x needs Java 21 or newer and a
 * full JDK (it compiles cells with JShell).
 *
 * <p>Order: an explicitly configured home (it must qualify, or the search fails), then {@code
 * JAVA_HOME}, the running JVM, and every JDK under {@code /usr/lib/jvm} and {@code /opt/java};
 * among those that qualify the newest wins.
 */
final class JdkLocator {

    static final int MIN_FEATURE = 21;

    /** A JDK installation. */
    record Jdk(Path home, String version, int feature) {

        Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    private JdkLocator() {}

    /**
     * Finds the JDK to run the kernel.
     *
     * @param configured an explicit JDK home (blank for none)
     * @return the JDK
     * @throws IllegalStateException naming every place looked at if none qualifies
     */
    static Jdk locate(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured.trim());
            return inspect(home)
                    .filter(j -> j.feature() >= MIN_FEATURE)
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "notebooks.java.home="
                                                    + home
                                                    + " is not a JDK "
                                                    + MIN_FEATURE
                                                    + "+ (needs bin/java, bin/jshell and a release"
                                                    + " file with JAVA_VERSION)"));
        }
        Set<Path> candidates = new LinkedHashSet<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        candidates.add(Path.of(System.getProperty("java.home")));
        for (String root : List.of("/usr/lib/jvm", "/opt/java", "/usr/java")) {
            Path dir = Path.of(root);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> children = Files.list(dir)) {
                    children.sorted().forEach(candidates::add);
                } catch (IOException e) {
                    // unreadable folder: nothing found there
                }
            }
        }
        List<Jdk> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path candidate : candidates) {
            Optional<Jdk> jdk = inspect(candidate);
            if (jdk.isPresent() && seen.add(jdk.get().home())) {
                found.add(jdk.get());
            }
        }
        return found.stream()
                .filter(j -> j.feature() >= MIN_FEATURE)
                .max(Comparator.comparingInt(Jdk::feature))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "No JDK "
                                                + MIN_FEATURE
                                                + "+ found to run the Java kernel"
                                                + " (rapaio-jupyter-kernel needs one). Looked at "
                                                + candidates
                                                + ", found "
                                                + found
                                                + ". Install a JDK 21+ under /usr/lib/jvm or pass"
                                                + " -Dnotebooks.java.home=/path/to/jdk."));
    }

    /** Reads a JDK home's release file; empty if it is not a JDK with java and jshell. */
    static Optional<Jdk> inspect(Path home) {
        try {
            Path real = home.toRealPath();
            Path release = real.resolve("release");
            if (!Files.isExecutable(real.resolve("bin/java"))
                    || !Files.isExecutable(real.resolve("bin/jshell"))
                    || !Files.isRegularFile(release)) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(release)) {
                p.load(r);
            }
            String version = p.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
            if (version.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Jdk(real, version, feature(version)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The feature release of a version string: "25.0.3" gives 25, "1.8.0_402" gives 8. */
    static int feature(String version) {
        String[] parts = version.split("[._+-]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }
}
