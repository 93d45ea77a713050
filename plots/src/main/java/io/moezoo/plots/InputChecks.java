package io.moezoo.plots;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Validation of chart inputs; every failure names the offending input. */
final class InputChecks {

    private InputChecks() {}

    static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required but was null");
        }
    }

    /** Checks that a vector is present, non-empty and finite. */
    static void requireFinite(double[] values, String name) {
        requireNonNull(values, name);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " is empty");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] is " + values[i] + "; values must be finite");
            }
        }
    }

    /** Checks that a matrix is present, non-empty, rectangular and finite; returns its columns. */
    static int requireMatrix(double[][] rows, String name) {
        requireNonNull(rows, name);
        if (rows.length == 0) {
            throw new IllegalArgumentException(name + " has no rows");
        }
        int columns = -1;
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new IllegalArgumentException(name + "[" + r + "] is null");
            }
            if (columns < 0) {
                columns = rows[r].length;
                if (columns == 0) {
                    throw new IllegalArgumentException(name + "[0] has no columns");
                }
            } else if (rows[r].length != columns) {
                throw new IllegalArgumentException(
                        name
                                + " is ragged: row "
                                + r
                                + " has "
                                + rows[r].length
                                + " columns, row 0 has "
                                + columns);
            }
            for (int c = 0; c < columns; c++) {
                if (!Double.isFinite(rows[r][c])) {
                    throw new IllegalArgumentException(
                            name
                                    + "["
                                    + r
                                    + "]["
                                    + c
                                    + "] is "
                                    + rows[r][c]
                                    + "; values must be finite");
                }
            }
        }
        return columns;
    }

    /** Checks that no entry of a matrix is negative. */
    static void requireNonNegative(double[][] rows, String name) {
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                if (rows[r][c] < 0) {
                    throw new IllegalArgumentException(
                            name + "[" + r + "][" + c + "] is " + rows[r][c] + "; must be >= 0");
                }
            }
        }
    }

    static double[][] toDouble(float[][] rows, String name) {
        return toDouble(
                rows,
                name,
                row -> {
                    double[] d = new double[row.length];
                    for (int c = 0; c < row.length; c++) {
                        d[c] = row[c];
                    }
                    return d;
                });
    }

    static double[][] toDouble(int[][] rows, String name) {
        return toDouble(rows, name, row -> Arrays.stream(row).asDoubleStream().toArray());
    }

    /** Converts each (non-null) row of a matrix. */
    private static <R> double[][] toDouble(R[] rows, String name, Function<R, double[]> convert) {
        requireNonNull(rows, name);
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new IllegalArgumentException(name + "[" + r + "] is null");
            }
            out[r] = convert.apply(rows[r]);
        }
        return out;
    }

    /** Checks a label list against the count it must have; null labels are not allowed. */
    static void requireLabels(List<String> labels, int expected, String name, String what) {
        requireNonNull(labels, name);
        if (labels.size() != expected) {
            throw new IllegalArgumentException(
                    name
                            + " has "
                            + labels.size()
                            + " labels but there are "
                            + expected
                            + " "
                            + what);
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new IllegalArgumentException(name + "[" + i + "] is null");
            }
        }
    }

    static void requireSize(int width, int height) {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException(
                    "size must be between 100 and 10000 pixels per side, was "
                            + width
                            + "x"
                            + height);
        }
    }
}
