package io.moezoo.spark;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where a data set holds its images, in the order {@link #of} looks for them:
 *
 * <ol>
 *   <li>{@code pixels} (binary): raw square 8-bit grayscale pixels, row-major (Fashion-MNIST's IDX
 *       layout, what the job reads from IDX files);
 *   <li>{@code image} (binary): an encoded image file, PNG or JPEG;
 *   <li>{@code image} (struct with a binary {@code bytes} field): the Hugging Face {@code datasets}
 *       Parquet layout, e.g. {@code zalando-datasets/fashion_mnist}.
 * </ol>
 */
public enum ImageColumn {
    /** Raw grayscale pixels in {@code pixels}. */
    PIXELS("pixels"),
    /** An encoded image file in {@code image}. */
    ENCODED("image"),
    /** An encoded image file in {@code image.bytes}. */
    DATASETS_STRUCT("image");

    private final String column;

    ImageColumn(String column) {
        this.column = column;
    }

    /**
     * Returns the column read (and left out of the results).
     *
     * @return the column name
     */
    public String column() {
        return column;
    }

    /**
     * Finds the image column of a data set.
     *
     * @param data the data set
     * @return where its images are
     * @throws MalformedDatasetException if it has none of the three, naming its columns
     */
    public static ImageColumn of(Dataset<Row> data) {
        StructType schema = data.schema();
        if (type(schema, "pixels") != null) {
            Columns.require(data, "vision", "pixels", DataTypes.BinaryType);
            return PIXELS;
        }
        DataType image = type(schema, "image");
        if (DataTypes.BinaryType.sameType(image)) {
            return ENCODED;
        }
        if (image instanceof StructType struct
                && type(struct, "bytes") != null
                && DataTypes.BinaryType.sameType(type(struct, "bytes"))) {
            return DATASETS_STRUCT;
        }
        throw new MalformedDatasetException(
                "The vision input needs a binary column 'pixels' (raw grayscale pixels), a binary"
                        + " column 'image' (PNG/JPEG) or a struct column 'image' with binary"
                        + " 'bytes'; the data set has "
                        + Arrays.toString(schema.fieldNames())
                        + (image == null ? "" : " ('image' is " + image.simpleString() + ")"));
    }

    /**
     * Reads the image of a row.
     *
     * @param row the row
     * @return the image
     * @throws MalformedDatasetException if the value is null or not an image, naming the row
     */
    public Image read(Row row) {
        Object value = row.getAs(column);
        if (this == DATASETS_STRUCT && value != null) {
            value = ((Row) value).getAs("bytes");
        }
        if (!(value instanceof byte[] bytes)) {
            throw new MalformedDatasetException("Column '" + column + "' is null in " + row);
        }
        return this == PIXELS ? pixels(bytes) : decode(bytes, row);
    }

    /**
     * Turns square grayscale pixels into a DJL image.
     *
     * @param pixels row-major 8-bit grayscale pixels
     * @return the image
     * @throws MalformedDatasetException if the pixels do not form a non-empty square
     */
    public static Image pixels(byte[] pixels) {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        if (pixels.length == 0 || side * side != pixels.length) {
            throw new MalformedDatasetException(
                    "Column 'pixels' must hold a square grayscale image, got "
                            + pixels.length
                            + " bytes");
        }
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, side, side, pixels);
        return ImageFactory.getInstance().fromImage(img);
    }

    private static Image decode(byte[] bytes, Row row) {
        try {
            return ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new MalformedDatasetException(
                    "Column 'image' holds " + bytes.length + " bytes that are no image in " + row,
                    e);
        }
    }

    private static DataType type(StructType schema, String name) {
        return Arrays.asList(schema.fieldNames()).contains(name)
                ? schema.apply(name).dataType()
                : null;
    }
}
