package io.moezoo.zoo.repository;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules that names taken from repository metadata must follow before they become part of a path
 * or a URL: versions, file names and file URIs. A name is a plain name: letters, digits and {@code
 * . _ + -}, not starting with a dot (so never {@code .} or {@code ..}), no separators, at most
 * {@value #MAX_NAME} characters. A file URI is one or more plain names joined by {@code /},
 * relative to the artifact's version directory in its own repository: no scheme ({@code file:},
 * {@code http:}, ...), no absolute path, no query, no percent-escapes.
 */
final class ArtifactNames {

    /** The longest name accepted. */
    static final int MAX_NAME = 128;

    /** The deepest file URI accepted, in segments. */
    static final int MAX_SEGMENTS = 8;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]*");

    /** Names Windows reserves; refused so that a cache can be moved between systems. */
    private static final Set<String> RESERVED =
            Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "lpt1", "lpt2", "lpt3");

    private ArtifactNames() {}

    /**
     * Returns whether a string is a plain name.
     *
     * @param name the name
     * @return true if it can be used as one path segment
     */
    static boolean isPlain(String name) {
        return name != null
                && name.length() <= MAX_NAME
                && PLAIN.matcher(name).matches()
                && !RESERVED.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a plain name.
     *
     * @param what what the name is, for the message (e.g. "version")
     * @param name the name
     * @param where the metadata URL, for the message
     * @return the name
     * @throws ArtifactFetchException if it is not a plain name
     */
    static String plain(String what, String name, String where) throws ArtifactFetchException {
        if (!isPlain(name)) {
            throw new ArtifactFetchException(
                    where
                            + ": "
                            + what
                            + " '"
                            + printable(name)
                            + "' is not a plain name (letters, digits and . _ + -, not starting"
                            + " with a dot, at most "
                            + MAX_NAME
                            + " characters); refused");
        }
        return name;
    }

    /**
     * Checks a file URI from metadata: plain names joined by slashes, relative to the artifact.
     *
     * @param uri the URI
     * @param where the metadata URL, for the message
     * @return the URI
     * @throws ArtifactFetchException if it names a scheme, an absolute path, {@code ..}, a query,
     *     an escape or anything else than plain names
     */
    static String relativeUri(String uri, String where) throws ArtifactFetchException {
        if (uri == null || uri.isEmpty()) {
            throw new ArtifactFetchException(where + ": a file has no uri");
        }
        String[] segments = uri.split("/", -1);
        boolean plain = segments.length <= MAX_SEGMENTS;
        for (String segment : segments) {
            plain &= isPlain(segment);
        }
        if (!plain) {
            throw new ArtifactFetchException(
                    where
                            + ": file uri '"
                            + printable(uri)
                            + "' is not a path relative to the artifact in this repository"
                            + " (plain names joined by '/'; no scheme, absolute path, '..' or"
                            + " escapes); refused");
        }
        return uri;
    }

    /**
     * Resolves a checked relative path inside a directory and checks that it stays there.
     *
     * @param dir the directory
     * @param relative a name or relative path already checked by this class
     * @return the resolved path
     * @throws ArtifactFetchException if the result leaves the directory
     */
    static Path inside(Path dir, String relative) throws ArtifactFetchException {
        Path root = dir.toAbsolutePath().normalize();
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new ArtifactFetchException(
                    "'" + printable(relative) + "' resolves outside " + root + "; refused");
        }
        return resolved;
    }

    /**
     * Returns a string safe to print on one line: control characters escaped, at most 200
     * characters.
     *
     * @param s the string, may be null
     * @return the printable form
     */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return s.length() > 200 ? sb + "..." : sb.toString();
    }
}
