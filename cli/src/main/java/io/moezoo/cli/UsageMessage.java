package io.moezoo.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line a usage error prints after {@code error: }: picocli's message (which names the
 * option or parameter and the value) followed, on the same line, by where to find the command's
 * help. An unknown command lists the commands instead.
 */
final class UsageMessage {

    private UsageMessage() {}

    /**
     * Describes a usage error.
     *
     * @param e the parse failure
     * @return the line, without the {@code error: } prefix
     */
    static String of(ParameterException e) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof UnmatchedArgumentException unmatched
                && !command.getSubcommands().isEmpty()
                && command.getCommandSpec().args().stream().noneMatch(a -> a.isPositional())) {
            List<String> arguments = unmatched.getUnmatched();
            String first = arguments.isEmpty() ? "" : arguments.get(0);
            if (!first.startsWith("-")) {
                return FailureMessage.oneLine(
                        "unknown command '"
                                + first
                                + "' for "
                                + name
                                + "; commands: "
                                + String.join(", ", command.getSubcommands().keySet()));
            }
        }
        String message = e.getMessage() == null ? "invalid command line" : e.getMessage();
        return FailureMessage.oneLine(message + " (see '" + name + " --help')");
    }
}
