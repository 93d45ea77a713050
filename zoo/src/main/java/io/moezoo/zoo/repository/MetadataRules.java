package io.moezoo.zoo.repository;

import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonParseException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a repository's {@code metadata.json} must follow before anything it names becomes part
 * of a path, a URL or a model. DJL parses the file into its {@link Metadata} and trusts it; here it
 * is checked first.
 *
 * <p>A name (version, artifact name, file name) is plain: letters, digits and {@code . _ + -}, not
 * starting with a dot (so never {@code .} or {@code ..}), no separators, at most {@value #MAX_NAME}
 * characters. A file URI is plain names joined by {@code /}, relative to the artifact's version
 * directory in its own repository: no scheme, absolute path, query or escape. Every file has a sha1
 * and a positive size; names are data, never code ({@link ArtifactContents}); options are limited
 * to {@link #ALLOWED_OPTIONS}; no argument chooses the engine.
 */
final class MetadataRules {

    /** The longest name accepted. */
    static final int MAX_NAME = 128;

    private static final int MAX_SEGMENTS = 8;
    private static final int MAX_ARTIFACTS = 1000;
    private static final int MAX_FILES = 1000;
    private static final Set<String> ALLOWED_OPTIONS = Set.of("hasParameter");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]*");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");

    /** Names Windows reserves; refused so that a cache can be moved between systems. */
    private static final Set<String> RESERVED =
            Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "lpt1", "lpt2", "lpt3");

    private MetadataRules() {}

    /**
     * Parses and checks the bytes of a {@code metadata.json}.
     *
     * @param url where they came from, named in every message
     * @param bytes the file
     * @param artifactId the artifact id the metadata must declare
     * @return the metadata, its artifacts linked to it and sorted newest first
     * @throws ArtifactFetchException naming what is wrong
     */
    static Metadata parse(URL url, byte[] bytes, String artifactId) throws ArtifactFetchException {
        Metadata metadata;
        try {
            metadata = JsonUtils.GSON.fromJson(utf8(url, bytes), Metadata.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new ArtifactFetchException(url + ": invalid JSON (" + e.getMessage() + ")", e);
        } catch (StackOverflowError e) {
            throw new ArtifactFetchException(url + ": invalid JSON (nested too deeply)");
        }
        if (metadata == null) {
            throw new ArtifactFetchException(url + ": empty metadata");
        }
        if (!artifactId.equals(metadata.getArtifactId())) {
            throw new ArtifactFetchException(
                    url
                            + ": artifactId is '"
                            + metadata.getArtifactId()
                            + "', expected "
                            + artifactId);
        }
        if (metadata.getApplication() == null || metadata.getGroupId() == null) {
            throw new ArtifactFetchException(url + ": no application or groupId");
        }
        if (metadata.getArtifacts() == null || metadata.getArtifacts().isEmpty()) {
            throw new ArtifactFetchException(url + ": no artifacts listed");
        }
        if (metadata.getArtifacts().size() > MAX_ARTIFACTS) {
            throw new ArtifactFetchException(
                    url + ": more than " + MAX_ARTIFACTS + " artifacts listed; refused");
        }
        for (Artifact artifact : metadata.getArtifacts()) {
            checkArtifact(artifact, url.toString());
        }
        metadata.getArtifacts().sort(Comparator.comparing(Artifact::getParsedVersion).reversed());
        metadata.init(Map.of());
        return metadata;
    }

    static String utf8(URL url, byte[] bytes) throws ArtifactFetchException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ArtifactFetchException(url + ": not valid UTF-8 text", e);
        }
    }

    private static void checkArtifact(Artifact artifact, String url) throws ArtifactFetchException {
        if (artifact == null) {
            throw new ArtifactFetchException(url + ": a null artifact is listed");
        }
        plain("artifact version", artifact.getVersion(), url);
        try {
            artifact.getParsedVersion();
        } catch (RuntimeException e) {
            throw new ArtifactFetchException(
                    url + ": artifact version '" + artifact.getVersion() + "' is not a version");
        }
        plain("artifact name", artifact.getName(), url);
        String where = url + ": artifact " + artifact.getName() + " " + artifact.getVersion();
        if (artifact.getArguments().containsKey("engine")) {
            throw new ArtifactFetchException(
                    where + ": argument 'engine' is not accepted from a repository");
        }
        for (Map.Entry<String, String> e : artifact.getOptions(new HashMap<>()).entrySet()) {
            if (!ALLOWED_OPTIONS.contains(e.getKey())) {
                throw new ArtifactFetchException(
                        where
                                + ": option '"
                                + printable(e.getKey())
                                + "' is not accepted from a repository (accepted: "
                                + ALLOWED_OPTIONS
                                + ")");
            }
            if (!"true".equals(e.getValue()) && !"false".equals(e.getValue())) {
                throw new ArtifactFetchException(
                        where + ": option '" + e.getKey() + "' must be \"true\" or \"false\"");
            }
        }
        if (artifact.getFiles().isEmpty()) {
            throw new ArtifactFetchException(where + " lists no files");
        }
        if (artifact.getFiles().size() > MAX_FILES) {
            throw new ArtifactFetchException(
                    where + " lists more than " + MAX_FILES + " files; refused");
        }
        for (Map.Entry<String, Artifact.Item> e : artifact.getFiles().entrySet()) {
            checkItem(e.getKey(), e.getValue(), where);
        }
    }

    private static void checkItem(String key, Artifact.Item item, String where)
            throws ArtifactFetchException {
        String file = where + ": file '" + printable(key) + "'";
        if (item == null) {
            throw new ArtifactFetchException(file + " is null");
        }
        relativeUri(item.getUri(), file);
        ArtifactContents.checkName(item.getUri(), file);
        if (item.getSha1Hash() == null || !SHA1.matcher(item.getSha1Hash()).matches()) {
            throw new ArtifactFetchException(file + " has no valid sha1Hash");
        }
        if (item.getSize() <= 0) {
            throw new ArtifactFetchException(file + " has no positive size");
        }
        String name = item.getName();
        if (!isPlain(name)) {
            throw new ArtifactFetchException(
                    file + " has an unsafe name '" + printable(name) + "'");
        }
        ArtifactContents.checkName(name, file);
    }

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

    private static void plain(String what, String name, String where)
            throws ArtifactFetchException {
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
