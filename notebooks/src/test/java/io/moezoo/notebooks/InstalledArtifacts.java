package io.moezoo.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that the local Maven repository holds this build of the project's artifacts before a
 * notebook resolves them from there: each installed jar must exist and be at least as new as its
 * module's compiled classes, and the installed poms (the module's and the parent's, which manages
 * dependency versions) must be this checkout's. Otherwise the notebook would silently run another
 * build (for example one installed from another checkout sharing the local repository).
 */
final class InstalledArtifacts {

    private static final Pattern ARTIFACT_ID =
            Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);

    private static final Pattern ROOT_ARTIFACT_ID =
            Pattern.compile("</modelVersion>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);

    private final Path projectDir;
    private final Path localRepository;
    private final Map<String, Path> modules = new HashMap<>();

    InstalledArtifacts(Path projectDir, Path localRepository) throws IOException {
        this.projectDir = projectDir;
        this.localRepository = localRepository;
        try (Stream<Path> children = Files.list(projectDir)) {
            for (Path dir : children.toList()) {
                Path pom = dir.resolve("pom.xml");
                if (Files.isRegularFile(pom)) {
                    Matcher m = ARTIFACT_ID.matcher(Files.readString(pom));
                    if (m.find()) {
                        modules.put(m.group(1).trim(), dir);
                    }
                }
            }
        }
    }

    /**
     * Returns the problems with the project's artifacts a notebook depends on (empty: all fresh).
     *
     * @param groupId the project's group id; other dependencies are not checked
     */
    List<String> problems(List<Notebook.Dependency> dependencies, String groupId)
            throws IOException {
        List<String> problems = new ArrayList<>();
        boolean parentChecked = false;
        for (Notebook.Dependency d : dependencies) {
            if (!d.groupId().equals(groupId)) {
                continue;
            }
            if (!parentChecked) {
                parentChecked = true;
                Path root = projectDir.resolve("pom.xml");
                Matcher m = ROOT_ARTIFACT_ID.matcher(Files.readString(root));
                if (m.find()) {
                    samePom(
                            root,
                            installed(groupId, m.group(1).trim(), d.version(), "pom"),
                            problems);
                }
            }
            Path module = modules.get(d.artifactId());
            if (module == null) {
                problems.add(d.artifactId() + " is not a module of " + projectDir);
                continue;
            }
            samePom(
                    module.resolve("pom.xml"),
                    installed(groupId, d.artifactId(), d.version(), "pom"),
                    problems);
            Path jar = installed(groupId, d.artifactId(), d.version(), "jar");
            if (!Files.isRegularFile(jar)) {
                problems.add(
                        d.artifactId()
                                + " is not installed ("
                                + jar
                                + "): run `mvn install` (tools/test.sh does)");
                continue;
            }
            FileTime installed = Files.getLastModifiedTime(jar);
            FileTime compiled = newest(module.resolve("target/classes"));
            if (compiled != null && compiled.compareTo(installed) > 0) {
                problems.add(
                        d.artifactId()
                                + " in the local repository ("
                                + installed
                                + ") is older than "
                                + module.resolve("target/classes")
                                + " ("
                                + compiled
                                + "): run `mvn install` so the notebooks see this build");
            }
        }
        return problems;
    }

    private Path installed(String groupId, String artifactId, String version, String extension) {
        return localRepository.resolve(
                Path.of(
                        groupId.replace('.', '/'),
                        artifactId,
                        version,
                        artifactId + "-" + version + "." + extension));
    }

    private static void samePom(Path pom, Path installed, List<String> problems)
            throws IOException {
        if (!Files.isRegularFile(installed)) {
            problems.add(installed + " is not installed: run `mvn install` (tools/test.sh does)");
        } else if (Files.mismatch(pom, installed) != -1) {
            problems.add(
                    installed
                            + " differs from "
                            + pom
                            + ": the local repository holds another build; run `mvn install`");
        }
    }

    private static FileTime newest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        FileTime newest = null;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                FileTime t = Files.getLastModifiedTime(f);
                if (newest == null || t.compareTo(newest) > 0) {
                    newest = t;
                }
            }
        }
        return newest;
    }
}
