package io.moezoo.cli;

import java.util.List;

/**
 * One hostile command line of {@link HostileInputCliTest}: the arguments, optional standard input,
 * the expected exit code and the fragments the one {@code error:} line must contain to show that
 * the refusal is for the right reason.
 *
 * @param name what the case attacks
 * @param code the expected exit code (1 bad input, 2 bad usage)
 * @param fragments the fragments of the error line (case-insensitive)
 * @param stdin bytes for standard input, or null
 * @param args the command line
 */
record HostileCase(String name, int code, List<String> fragments, byte[] stdin, List<String> args) {

    /**
     * A command refused as bad input (exit code 1).
     *
     * @param name what the case attacks
     * @param fragments the expected fragments, separated by {@code |}
     * @param args the command line
     * @return the case
     */
    static HostileCase refused(String name, String fragments, String... args) {
        return new HostileCase(
                name, MoeZooCli.BAD_INPUT, List.of(fragments.split("\\|")), null, List.of(args));
    }

    /**
     * A command line refused as bad usage (exit code 2).
     *
     * @param name what the case attacks
     * @param fragments the expected fragments, separated by {@code |}
     * @param args the command line
     * @return the case
     */
    static HostileCase usage(String name, String fragments, String... args) {
        return new HostileCase(
                name, MoeZooCli.BAD_USAGE, List.of(fragments.split("\\|")), null, List.of(args));
    }

    /**
     * The same case with bytes on standard input.
     *
     * @param bytes the bytes
     * @return the case
     */
    HostileCase stdin(byte[] bytes) {
        return new HostileCase(name, code, fragments, bytes, args);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name;
    }
}
