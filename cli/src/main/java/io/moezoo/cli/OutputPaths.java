package io.moezoo.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks where a command will write before it does any work, so that a bad output path fails in a
 * second with a message naming the option, not after the model has run. A file must not be a
 * directory or a device, and its directory must exist or be creatable and accept a new file (the
 * check writes and deletes an empty probe file there: permissions, read-only file systems and
 * pseudo file systems such as {@code /proc} all show up, whoever runs the command). Missing parent
 * directories are created by the check.
 */
final class OutputPaths {

    private OutputPaths() {}

    /**
     * Checks a file that the command will create or replace.
     *
     * @param file the file
     * @param option the option that named it, for messages (e.g. {@code --plot})
     * @throws IllegalArgumentException if the file cannot be written
     */
    static void checkFile(Path file, String option) {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(
                    option
                            + " "
                            + file
                            + " is a directory; give a file name, e.g. "
                            + file.resolve("out.png"));
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException(
                    option + " " + file + " exists and is not a regular file");
        }
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IllegalArgumentException(option + " " + file + " has no directory");
        }
        writableDirectory(parent, option + " " + file);
    }

    /**
     * Checks a directory that the command will write files into, creating it if it is missing.
     *
     * @param dir the directory
     * @param option the option that named it, for messages (e.g. {@code --out})
     * @throws IllegalArgumentException if files cannot be written there
     */
    static void checkDirectory(Path dir, String option) {
        writableDirectory(dir.toAbsolutePath().normalize(), option + " " + dir);
    }

    private static void writableDirectory(Path dir, String what) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(
                    what + ": " + existing + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + ": cannot create the directory " + dir + " (" + reason(e) + ")", e);
        }
        try {
            Path probe = Files.createTempFile(dir, ".moe-zoo-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + ": cannot write in the directory " + dir + " (" + reason(e) + ")", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it does not accept new files";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return FailureMessage.of(e);
    }
}
