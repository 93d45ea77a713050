package io.moezoo.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Maven repository the notebook kernel resolves from: the user's local repository with the
 * project's own artifacts replaced by this checkout's build.
 *
 * <p>It is a folder of links: every top-level entry of the local repository is linked, except along
 * the project's group path ({@code io/moezoo}), where the project's artifacts are this checkout's
 * files: each module's (as the root pom lists them) {@code pom.xml} and packaged jar ({@code
 * target/<artifactId>-<version>.jar}) and the parent pom. So the notebooks always run the build
 * they are tested with, whatever another checkout installed into the shared local repository, and
 * third-party artifacts still resolve offline from the local repository (anything missing is
 * downloaded into it from Maven Central).
 */
final class ReactorRepository {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern MODULE_ARTIFACT_ID =
            Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);
    private static final Pattern ROOT_COORDINATES =
            Pattern.compile(
                    "</modelVersion>.*?<groupId>([^<]+)</groupId>.*?<artifactId>([^<]+)</artifactId>"
                            + ".*?<version>([^<]+)</version>",
                    Pattern.DOTALL);

    private final Path projectDir;
    private final Path localRepository;
    private final String groupId;
    private final String parentArtifactId;
    private final String version;
    private final Map<String, Path> modules = new LinkedHashMap<>();

    ReactorRepository(Path projectDir, Path localRepository) throws IOException {
        this.projectDir = projectDir.toAbsolutePath();
        this.localRepository = localRepository.toAbsolutePath();
        Matcher root =
                ROOT_COORDINATES.matcher(Files.readString(this.projectDir.resolve("pom.xml")));
        if (!root.find()) {
            throw new IOException("cannot read the coordinates of " + projectDir + "/pom.xml");
        }
        groupId = root.group(1).trim();
        parentArtifactId = root.group(2).trim();
        version = root.group(3).trim();
        Matcher listed = MODULE.matcher(Files.readString(this.projectDir.resolve("pom.xml")));
        while (listed.find()) {
            Path dir = this.projectDir.resolve(listed.group(1).trim());
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                Matcher m = MODULE_ARTIFACT_ID.matcher(Files.readString(pom));
                if (m.find()) {
                    modules.put(m.group(1).trim(), dir);
                }
            }
        }
    }

    String groupId() {
        return groupId;
    }

    /**
     * Returns why the project's artifacts a notebook uses cannot be served (empty: all packaged and
     * at least as new as their compiled classes).
     */
    List<String> problems(List<Notebook.Dependency> dependencies) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Notebook.Dependency d : dependencies) {
            if (!d.groupId().equals(groupId)) {
                continue;
            }
            Path module = modules.get(d.artifactId());
            if (module == null) {
                problems.add(d.artifactId() + " is not a module of " + projectDir);
                continue;
            }
            if (!d.version().equals(version)) {
                problems.add(
                        d.groupId()
                                + ":"
                                + d.artifactId()
                                + ":"
                                + d.version()
                                + " is not this checkout's version "
                                + version);
                continue;
            }
            Path jar = jar(module, d.artifactId());
            if (!Files.isRegularFile(jar)) {
                problems.add(
                        jar
                                + " is missing: package the project first (`mvn verify`, as"
                                + " tools/test.sh does, `package` or `install`)");
                continue;
            }
            FileTime packaged = Files.getLastModifiedTime(jar);
            FileTime compiled = newest(module.resolve("target/classes"));
            if (compiled != null && compiled.compareTo(packaged) > 0) {
                problems.add(
                        jar
                                + " ("
                                + packaged
                                + ") is older than "
                                + module.resolve("target/classes")
                                + " ("
                                + compiled
                                + "): package the project again (`mvn verify`)");
            }
        }
        return problems;
    }

    /** (Re)creates the repository folder. */
    void writeTo(Path dir) throws IOException {
        deleteWithoutFollowingLinks(dir);
        Files.createDirectories(dir);
        List<String> groupPath = List.of(groupId.split("\\."));
        Path source = localRepository;
        Path target = dir;
        for (String segment : groupPath) {
            Files.createDirectories(target);
            linkChildrenExcept(source, target, segment);
            source = source.resolve(segment);
            target = target.resolve(segment);
        }
        Files.createDirectories(target);
        copy(projectDir.resolve("pom.xml"), target, parentArtifactId, "pom");
        for (Map.Entry<String, Path> module : modules.entrySet()) {
            copy(module.getValue().resolve("pom.xml"), target, module.getKey(), "pom");
            Path jar = jar(module.getValue(), module.getKey());
            if (Files.isRegularFile(jar)) {
                copy(jar, target, module.getKey(), "jar");
            }
        }
    }

    private Path jar(Path module, String artifactId) {
        return module.resolve("target").resolve(artifactId + "-" + version + ".jar");
    }

    private void copy(Path file, Path groupDir, String artifactId, String extension)
            throws IOException {
        Path to =
                groupDir.resolve(artifactId)
                        .resolve(version)
                        .resolve(artifactId + "-" + version + "." + extension);
        Files.createDirectories(to.getParent());
        Files.copy(
                file, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static void linkChildrenExcept(Path source, Path target, String except)
            throws IOException {
        if (!Files.isDirectory(source)) {
            return;
        }
        try (Stream<Path> children = Files.list(source)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (!name.equals(except)) {
                    Files.createSymbolicLink(target.resolve(name), child);
                }
            }
        }
    }

    /** Deletes a folder of links and copies; never descends into a linked folder. */
    static void deleteWithoutFollowingLinks(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(dir)) {
            Files.delete(dir);
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
