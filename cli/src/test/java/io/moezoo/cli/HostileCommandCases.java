package io.moezoo.cli;

import static io.moezoo.cli.HostileCase.refused;
import static io.moezoo.cli.HostileCase.usage;

import java.util.List;

/** Hostile horizons, output paths, sizes, spec files and command lines. */
final class HostileCommandCases {

    private HostileCommandCases() {}

    /**
     * The cases.
     *
     * @param f the fixture files
     * @return the cases
     */
    static List<HostileCase> cases(HostileFixtures f) {
        String good = f.path("good.csv");
        return List.of(
                // horizons
                refused(
                        "horizon 0",
                        "--horizon must be > 0, got 0",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "0"),
                refused(
                        "negative horizon",
                        "--horizon must be > 0, got -3",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "-3"),
                usage(
                        "horizon 1e9",
                        "--horizon|'1e9' is not an int",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "1e9"),
                refused(
                        "horizon 10^9",
                        "--horizon 1000000000|at most 128",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "1000000000"),
                refused(
                        "horizon beyond the model",
                        "--horizon 129|at most 128",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "129"),
                usage(
                        "horizon not a number",
                        "--horizon|'soon'",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "soon"),
                usage(
                        "missing horizon",
                        "Missing required option|--horizon",
                        "forecast",
                        good,
                        "--column",
                        "sales"),
                refused(
                        "unknown forecaster",
                        "no zoo model 'nope'",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "3",
                        "--model",
                        "nope"),
                // output paths
                refused(
                        "plot into a directory",
                        "--plot|is a directory",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "3",
                        "--plot",
                        f.path("a-directory.png")),
                refused(
                        "plot in /proc",
                        "--plot /proc/forecast.png|cannot write",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "3",
                        "--plot",
                        "/proc/forecast.png"),
                refused(
                        "plot under a file",
                        "plain.txt is a file, not a directory",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "3",
                        "--plot",
                        f.path("plain.txt") + "/x.png"),
                refused(
                        "plot onto a device",
                        "/dev/null exists and is not a regular file",
                        "forecast",
                        good,
                        "--column",
                        "sales",
                        "--horizon",
                        "3",
                        "--plot",
                        "/dev/null"),
                refused(
                        "demo out is a file",
                        "--out|is a file, not a directory",
                        "demo",
                        "--out",
                        f.path("plain.txt")),
                refused(
                        "demo out in /proc",
                        "--out /proc/demo|cannot create",
                        "demo",
                        "--out",
                        "/proc/demo"),
                refused(
                        "train plots in /proc",
                        "--plots|cannot create",
                        "train",
                        "--plots",
                        "/proc/plots"),
                refused(
                        "bench out is a directory",
                        "--out|is a directory",
                        "bench",
                        "--out",
                        f.path("a-directory.csv")),
                refused(
                        "bench out in /proc",
                        "--out /proc/bench.md|cannot write",
                        "bench",
                        "--out",
                        "/proc/bench.md"),
                refused(
                        "zoo repository in /proc",
                        "--repository /proc|cannot write",
                        "zoo",
                        "build",
                        "--repository",
                        "/proc"),
                refused(
                        "zoo repository missing",
                        "does not exist",
                        "zoo",
                        "build",
                        "--repository",
                        f.path("no-such-repository")),
                // sizes and spec files
                refused(
                        "deeply nested spec",
                        "deep.json|nesting limit",
                        "train",
                        "--spec",
                        f.path("deep.json")),
                refused(
                        "UTF-16 spec",
                        "utf16-spec.json|UTF-16BE|UTF-8",
                        "train",
                        "--spec",
                        f.path("utf16-spec.json")),
                refused(
                        "spec from /dev/zero",
                        "not a regular file",
                        "train",
                        "--spec",
                        "/dev/zero"),
                refused(
                        "huge spec",
                        "parameters|at most 50,000,000",
                        "train",
                        "--spec",
                        f.path("huge-spec.json")),
                refused(
                        "100000 layers",
                        "--layers must be in 1..16",
                        "train",
                        "--layers",
                        "100000"),
                refused("zero epochs", "--epochs must be in 1..1000", "train", "--epochs", "0"),
                refused("demo epochs", "--epochs in 1..100", "demo", "--epochs", "1000000"),
                refused("demo images", "--images must be in 1..10000", "demo", "--images", "0"),
                refused(
                        "bench tokens",
                        "--tokens must be at most 65536",
                        "bench",
                        "--tokens",
                        "1000000000"),
                refused(
                        "bench iterations",
                        "--iterations at most 1000",
                        "bench",
                        "--iterations",
                        "100000"),
                refused(
                        "unknown reward model",
                        "no zoo model 'nope'|reward models",
                        "reward",
                        "--prompt",
                        "p",
                        "--response",
                        "r",
                        "--model",
                        "nope"),
                // command lines
                usage("unknown command", "unknown command 'frobnicate'|commands:", "frobnicate"),
                usage(
                        "unknown zoo command",
                        "unknown command 'frob' for moe-zoo zoo",
                        "zoo",
                        "frob"),
                usage("unknown option", "Unknown option: '--nope'", "--nope"),
                usage(
                        "missing generate arguments",
                        "Missing required parameter: 'MODEL'",
                        "generate"),
                // --column is optional for JSON, so a CSV without it is refused, not a usage error.
                refused(
                        "missing column",
                        "--column is required for a CSV file|*.json",
                        "forecast",
                        good,
                        "--horizon",
                        "3"),
                usage("no images", "Missing required parameter|IMAGE", "classify"),
                usage(
                        "missing reward prompt",
                        "Missing required option|--prompt",
                        "reward",
                        "--response",
                        "r"));
    }
}
