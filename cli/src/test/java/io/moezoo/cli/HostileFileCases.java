package io.moezoo.cli;

import static io.moezoo.cli.HostileCase.refused;
import static io.moezoo.cli.HostileCase.usage;

import java.util.List;

/** Hostile image files and CSV series for {@code classify} and {@code forecast}. */
final class HostileFileCases {

    private HostileFileCases() {}

    /** {@code forecast CSV --column v --horizon 3}. */
    private static String[] forecast(String csv) {
        return new String[] {"forecast", csv, "--column", "v", "--horizon", "3"};
    }

    /**
     * The cases.
     *
     * @param f the fixture files
     * @return the cases
     */
    static List<HostileCase> cases(HostileFixtures f) {
        String good = f.path("good.csv");
        return List.of(
                // images
                refused(
                        "PNG header bomb",
                        "60000 x 60000 pixels|at most",
                        "classify",
                        f.path("header-bomb.png")),
                refused(
                        "PNG inflate bomb",
                        "8192 x 8192 pixels",
                        "classify",
                        f.path("inflate-bomb.png")),
                refused("BMP header bomb", "30000 x 30000 pixels", "classify", f.path("bomb.bmp")),
                refused("truncated PNG", "truncated", "classify", f.path("truncated.png")),
                refused("PNG without IEND", "truncated PNG", "classify", f.path("no-iend.png")),
                refused(
                        "truncated JPEG",
                        "truncated.jpg|truncated or corrupt",
                        "classify",
                        f.path("truncated.jpg")),
                refused("colour image", "not grayscale", "classify", f.path("colour.png")),
                refused("colour with alpha", "not grayscale", "classify", f.path("rgba.png")),
                refused("wrong size", "32x32|28x28", "classify", f.path("wrong-size.png")),
                refused("text as image", "text.png|not an image", "classify", f.path("text.png")),
                refused(
                        "empty image file",
                        "empty.png|not an image",
                        "classify",
                        f.path("empty.png")),
                refused(
                        "17 MiB image",
                        "huge.png|at most 16,777,216 bytes",
                        "classify",
                        f.path("huge.png")),
                refused("image directory", "is a directory", "classify", f.path("a-directory.png")),
                refused("image /dev/zero", "/dev/zero|not a regular file", "classify", "/dev/zero"),
                refused("image FIFO", "fifo|not a regular file", "classify", f.path("fifo")),
                refused(
                        "missing image",
                        "no-such.png|not found",
                        "classify",
                        f.path("no-such.png")),
                refused(
                        "one bad image among good",
                        "truncated",
                        "classify",
                        f.path("gray.png"),
                        f.path("truncated.png")),
                refused("top 0", "--top must be > 0", "classify", "--top", "0", f.path("gray.png")),
                usage(
                        "top not a number",
                        "--top|'many'",
                        "classify",
                        "--top",
                        "many",
                        f.path("gray.png")),
                refused(
                        "language model for images",
                        "language model, not a vision model",
                        "classify",
                        "--model",
                        "brown-moe",
                        f.path("gray.png")),
                // CSV series
                refused("binary CSV", "binary.csv|UTF-8", forecast(f.path("binary.csv"))),
                refused(
                        "UTF-16 CSV with BOM",
                        "utf16-bom.csv|UTF-16BE|UTF-8",
                        forecast(f.path("utf16-bom.csv"))),
                refused(
                        "UTF-16 CSV without BOM",
                        "utf16-no-bom.csv|NUL byte|UTF-8",
                        forecast(f.path("utf16-no-bom.csv"))),
                refused("UTF-32 CSV", "UTF-32BE|UTF-8", forecast(f.path("utf32.csv"))),
                refused(
                        "Latin-1 CSV",
                        "latin1.csv|not valid UTF-8",
                        forecast(f.path("latin1.csv"))),
                refused("NaN value", "nan.csv line 4|not finite", forecast(f.path("nan.csv"))),
                refused(
                        "Infinity value",
                        "line 3|Infinity is not finite",
                        forecast(f.path("infinity.csv"))),
                refused("-inf value", "-inf is not finite", forecast(f.path("minus-inf.csv"))),
                refused(
                        "float overflow",
                        "1e39|not finite in float32",
                        forecast(f.path("overflow.csv"))),
                refused("empty CSV", "empty file", forecast(f.path("empty.csv"))),
                refused(
                        "header only",
                        "header-only.csv: no values",
                        forecast(f.path("header-only.csv"))),
                refused("one value", "too short: 1 value", forecast(f.path("one-value.csv"))),
                refused(
                        "100,001 values",
                        "more than 100000 values",
                        forecast(f.path("many-values.csv"))),
                refused(
                        "17 MiB CSV",
                        "huge.csv|at most 16,777,216 bytes",
                        forecast(f.path("huge.csv"))),
                refused(
                        "ragged row",
                        "ragged.csv line 3|1 cells, the header has 2",
                        "forecast",
                        f.path("ragged.csv"),
                        "--column",
                        "b",
                        "--horizon",
                        "3"),
                refused(
                        "word for a number",
                        "line 3|'twelve' is not a number",
                        forecast(f.path("words.csv"))),
                refused(
                        "hexadecimal number",
                        "'0x1p3' is not a number",
                        forecast(f.path("hex.csv"))),
                refused("empty cell", "line 3|empty value", forecast(f.path("empty-cell.csv"))),
                refused("5000 columns", "more than 1000 columns", forecast(f.path("wide.csv"))),
                refused("missing column", "no column 'v'|[month, sales]", forecast(good)),
                refused("CSV directory", "is a directory", forecast(f.path("a-directory.csv"))),
                refused("CSV /dev/zero", "/dev/zero|not a regular file", forecast("/dev/zero")),
                refused("CSV FIFO", "not a regular file", forecast(f.path("fifo"))),
                refused("missing CSV", "no-such.csv not found", forecast(f.path("no-such.csv"))));
    }
}
