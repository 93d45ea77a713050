package io.moezoo.zoo.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an artifact directory may hold: data, never code. DJL's model loader builds a class loader
 * over a model directory ({@code classes/}, jars) and reads {@code serving.properties} from it; an
 * artifact holding such files could choose the code that runs. They are refused wherever an
 * artifact's files are named (metadata), unpacked (archives) and before anything is loaded.
 *
 * <p>Refused: {@code .jar}, {@code .class}, native libraries ({@code .so}, {@code .dll}, {@code
 * .dylib}, {@code .jnilib}), directories named {@code classes} or {@code libs}, {@code
 * serving.properties}, and symbolic links.
 */
public final class ArtifactContents {

    private ArtifactContents() {}

    /**
     * Returns why a path inside an artifact is code, if it is.
     *
     * @param relative the path relative to the artifact directory ({@code /}-separated, ending with
     *     {@code /} for a directory)
     * @return the reason, or empty for data
     */
    static Optional<String> codeIn(String relative) {
        String normalised = relative.replace('\\', '/');
        boolean directory = normalised.endsWith("/");
        String[] segments = normalised.split("/");
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i].toLowerCase(Locale.ROOT);
            boolean last = i == segments.length - 1 && !directory;
            if (!last && (s.equals("classes") || s.equals("libs"))) {
                return Optional.of("a '" + segments[i] + "/' directory (class path)");
            }
            if (s.endsWith(".jar") || s.endsWith(".class")) {
                return Optional.of("Java code");
            }
            if (s.endsWith(".so") || s.contains(".so.") || s.endsWith(".dll")) {
                return Optional.of("a native library");
            }
            if (s.endsWith(".dylib") || s.endsWith(".jnilib")) {
                return Optional.of("a native library");
            }
            if (last && s.equals("serving.properties")) {
                return Optional.of("a DJL serving.properties (it chooses engine and factories)");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a name from metadata or an archive entry.
     *
     * @param relative the path relative to the artifact directory
     * @param where the metadata URL or archive, for the message
     * @throws ArtifactFetchException if it is code
     */
    static void checkName(String relative, String where) throws ArtifactFetchException {
        Optional<String> code = codeIn(relative);
        if (code.isPresent()) {
            throw new ArtifactFetchException(
                    where
                            + ": '"
                            + MetadataRules.printable(relative)
                            + "' is "
                            + code.get()
                            + "; artifacts hold data only, refused");
        }
    }

    /**
     * Checks every file under an artifact directory: no code, no symbolic links.
     *
     * @param dir the artifact directory
     * @throws ArtifactFetchException if it holds code or a link
     * @throws IOException if it cannot be listed
     */
    public static void checkNoCode(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(root)) {
            Iterator<Path> it = walk.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                if (p.equals(root)) {
                    continue;
                }
                String relative = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    throw new ArtifactFetchException(
                            root + ": '" + relative + "' is a symbolic link; refused");
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    relative += "/";
                }
                checkName(relative, root.toString());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
