package io.moezoo.engine.kernel;

import io.moezoo.engine.tensor.ArrayDot;
import io.moezoo.engine.tensor.Codecs;
import io.moezoo.engine.tensor.SplitOrder;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The units of one batch of products: runs of rows of {@value #MIN_UNIT_BYTES} to {@value
 * #MAX_UNIT_BYTES} weight bytes (times tokens), whole tiles of {@value #TILE_ROWS} rows, shared
 * between the threads as {@link SharedUnits}; and how a unit's rows are computed. Up to 3 tokens
 * ({@code moezoo.engine.inPlaceTokens}): each row is read in place once per token (a dot product,
 * the later reads hitting the cache). More tokens: the unit's rows are decoded to float32 a tile at
 * a time and multiplied with 4 tokens at a time by {@link ArrayDot#dot4x4} (the inner-product
 * form), or, from 8 tokens ({@code moezoo.engine.tokenLanesMin}), with the tokens transposed once
 * per product ({@link TokenBlocks}; the outer-product form, whose lanes go idle only in a block's
 * last vector and whose sums need no horizontal additions).
 */
final class ProductBatch extends SharedUnits {

    /** The fewest weight bytes (times tokens) per unit of work. */
    private static final long MIN_UNIT_BYTES = 1L << 16;

    /** The most weight bytes (times tokens) per unit of work. */
    private static final long MAX_UNIT_BYTES = 1L << 20;

    /** Units per thread a batch is cut into at least, while they hold the minimum. */
    private static final int UNITS_PER_THREAD = 8;

    /** Up to this many tokens a product reads its rows in place for every token. */
    private static final int IN_PLACE_TOKENS = Integer.getInteger("moezoo.engine.inPlaceTokens", 3);

    /**
     * From this many tokens a product multiplies its decoded rows with the tokens transposed
     * ({@link TokenBlocks}, the outer-product form), below with {@code dot4x4} (the inner-product
     * form, whose lanes are never idle but whose sums end in horizontal additions).
     */
    private static final int TOKEN_LANES_MIN = Integer.getInteger("moezoo.engine.tokenLanesMin", 8);

    /** Rows decoded together for a multi-token product. */
    private static final int TILE_ROWS = 32;

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private static final ThreadLocal<float[][]> TILE_ROWS_OF =
            ThreadLocal.withInitial(() -> new float[TILE_ROWS][0]);

    private final Product[] products;
    private final float[][] splits;
    private final TokenBlocks[] blocks;
    private final int[] unitProduct;
    private final int[] unitFrom;
    private final int[] unitTo;
    private final long weightBytes;

    private ProductBatch(
            Product[] products,
            float[][] splits,
            TokenBlocks[] blocks,
            int[] unitProduct,
            int[] unitFrom,
            int[] unitTo,
            long weightBytes) {
        super(unitProduct.length);
        this.products = products;
        this.splits = splits;
        this.blocks = blocks;
        this.unitProduct = unitProduct;
        this.unitFrom = unitFrom;
        this.unitTo = unitTo;
        this.weightBytes = weightBytes;
    }

    static ProductBatch of(List<Product> list) {
        Product[] products = list.toArray(new Product[0]);
        float[][] splits = new float[products.length][];
        for (int p = 0; p < products.length; p++) {
            splits[p] = splitX(products[p]);
        }
        TokenBlocks[] blocks = tokenBlocks(products);
        long bytes = 0;
        for (Product p : products) {
            bytes += p.w().byteSize() * p.tokens();
        }
        long unitBytes =
                Math.max(
                        MIN_UNIT_BYTES,
                        Math.min(
                                MAX_UNIT_BYTES,
                                bytes / ((long) MatrixOps.threads() * UNITS_PER_THREAD)));
        int units = 0;
        int[] rowsPerUnit = new int[products.length];
        for (int p = 0; p < products.length; p++) {
            WeightMatrix w = products[p].w();
            long rowBytes = Math.max(1, w.byteSize() / w.rows());
            long perToken = Math.max(1, unitBytes / (rowBytes * products[p].tokens()));
            // Whole tiles per unit, so that only a product's last tile may be short.
            long tiles = Math.max(1, perToken / TILE_ROWS);
            rowsPerUnit[p] = (int) Math.min(w.rows(), tiles * TILE_ROWS);
            units += (w.rows() + rowsPerUnit[p] - 1) / rowsPerUnit[p];
        }
        int[] unitProduct = new int[units];
        int[] unitFrom = new int[units];
        int[] unitTo = new int[units];
        int u = 0;
        for (int p = 0; p < products.length; p++) {
            int rows = products[p].w().rows();
            for (int from = 0; from < rows; from += rowsPerUnit[p]) {
                unitProduct[u] = p;
                unitFrom[u] = from;
                unitTo[u] = Math.min(rows, from + rowsPerUnit[p]);
                u++;
            }
        }
        return new ProductBatch(products, splits, blocks, unitProduct, unitFrom, unitTo, bytes);
    }

    @Override
    void computeDirect(int u) {
        Product p = products[unitProduct[u]];
        compute(
                p,
                splits[unitProduct[u]],
                blocks[unitProduct[u]],
                unitFrom[u],
                unitTo[u],
                p.y(),
                p.yOffset() + unitFrom[u],
                p.w().rows());
    }

    @Override
    int asideSize(int u) {
        return (unitTo[u] - unitFrom[u]) * products[unitProduct[u]].tokens();
    }

    @Override
    void computeAside(int u, float[] buffer) {
        Product p = products[unitProduct[u]];
        int width = unitTo[u] - unitFrom[u];
        compute(
                p,
                splits[unitProduct[u]],
                blocks[unitProduct[u]],
                unitFrom[u],
                unitTo[u],
                buffer,
                0,
                width);
    }

    @Override
    void copyOut(int u, float[] buffer) {
        Product p = products[unitProduct[u]];
        int width = unitTo[u] - unitFrom[u];
        int rows = p.w().rows();
        for (int t = 0; t < p.tokens(); t++) {
            System.arraycopy(buffer, t * width, p.y(), p.yOffset() + t * rows + unitFrom[u], width);
        }
    }

    /** The weight bytes (times tokens) of the batch. */
    long weightBytes() {
        return weightBytes;
    }

    /**
     * The product's tokens' x in split order ({@link SplitOrder}) when its rows prefer it and are
     * read in place (a few tokens), else null. Made once per product, before its units run: a fresh
     * array, since a helper's late (dropped) unit may still read it after the batch.
     */
    private static float[] splitX(Product p) {
        if (p.tokens() > IN_PLACE_TOKENS || !p.w().prefersSplitX()) {
            return null;
        }
        float[] split = new float[p.tokens() * p.w().cols()];
        SplitOrder.split(p.x(), p.xOffset(), split, 0, split.length);
        return split;
    }

    /**
     * The products' tokens transposed ({@link TokenBlocks}) where they are many enough, else null;
     * products with the same input share them.
     */
    private static TokenBlocks[] tokenBlocks(Product[] products) {
        TokenBlocks[] blocks = new TokenBlocks[products.length];
        List<TokenBlocks> distinct = new ArrayList<>();
        long work = 0;
        int lanes = Codecs.arrayDot().tokenLanes();
        for (int p = 0; p < products.length; p++) {
            Product product = products[p];
            if (product.tokens() < Math.max(TOKEN_LANES_MIN, IN_PLACE_TOKENS + 1)) {
                continue;
            }
            int cols = product.w().cols();
            for (TokenBlocks b : distinct) {
                if (b.holds(product.x(), product.xOffset(), product.tokens(), cols)) {
                    blocks[p] = b;
                    break;
                }
            }
            if (blocks[p] == null) {
                blocks[p] =
                        TokenBlocks.of(
                                product.x(), product.xOffset(), product.tokens(), cols, lanes);
                distinct.add(blocks[p]);
                work += (long) product.tokens() * cols;
            }
        }
        if (!distinct.isEmpty()) {
            // Transposed on all threads (the experts of an MoE layer: one input each).
            MatrixOps.forEachTask(distinct.size(), work, b -> distinct.get(b).fill());
        }
        return blocks;
    }

    /**
     * Computes rows [from, to) of a product for all its tokens: the value of token t, row r goes to
     * {@code y[yBase + t·yStride + (r - from)]}.
     */
    private static void compute(
            Product p,
            float[] split,
            TokenBlocks blocks,
            int from,
            int to,
            float[] y,
            int yBase,
            int yStride) {
        WeightMatrix w = p.w();
        int cols = w.cols();
        if (split != null) {
            // x split once per product (even values, then odd ones, per block of 32), so that
            // every row pairs its MXFP4 nibbles or BF16 lane halves with x without rearranging.
            for (int r = from; r < to; r++) {
                w.dotSplitTokens(r, split, 0, p.tokens(), y, yBase + r - from, yStride);
            }
            return;
        }
        if (p.tokens() <= IN_PLACE_TOKENS) {
            // A few tokens (a decode step of a small batch): each row is read in place (once for
            // all tokens where the codec can), which beats decoding tiles to float32.
            for (int r = from; r < to; r++) {
                w.dotTokens(r, p.x(), p.xOffset(), p.tokens(), y, yBase + r - from, yStride);
            }
            return;
        }
        ArrayDot dot = Codecs.arrayDot();
        float[] tile = TILE.get();
        if (tile.length < TILE_ROWS * cols) {
            tile = new float[TILE_ROWS * cols];
            TILE.set(tile);
        }
        int tokens = p.tokens();
        if (blocks != null) {
            computeByTokens(w, blocks, from, to, y, yBase, yStride);
            return;
        }
        for (int r0 = from; r0 < to; r0 += TILE_ROWS) {
            int n = Math.min(TILE_ROWS, to - r0);
            for (int i = 0; i < n; i++) {
                w.decodeRow(r0 + i, tile, i * cols);
            }
            int base = yBase + r0 - from;
            int t = 0;
            // 4 rows x 4 tokens at a time, then the remainders one dot at a time.
            for (; t + 4 <= tokens; t += 4) {
                int x = p.xOffset() + t * cols;
                int y0 = base + t * yStride;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    dot.dot4x4(tile, i * cols, p.x(), x, cols, cols, y, y0 + i, yStride);
                }
                for (; i < n; i++) {
                    for (int u = 0; u < 4; u++) {
                        y[y0 + u * yStride + i] =
                                dot.dot(tile, i * cols, p.x(), x + u * cols, cols);
                    }
                }
            }
            for (; t < tokens; t++) {
                int x = p.xOffset() + t * cols;
                int y0 = base + t * yStride;
                for (int i = 0; i < n; i++) {
                    y[y0 + i] = dot.dot(tile, i * cols, p.x(), x, cols);
                }
            }
        }
    }

    /** {@link #compute} for a product with its tokens in {@link TokenBlocks}. */
    private static void computeByTokens(
            WeightMatrix w,
            TokenBlocks blocks,
            int from,
            int to,
            float[] y,
            int yBase,
            int yStride) {
        int cols = w.cols();
        float[][] tile = TILE_ROWS_OF.get();
        if (tile[0].length < cols) {
            for (int i = 0; i < TILE_ROWS; i++) {
                tile[i] = new float[cols];
            }
        }
        float[] scratch = SCRATCH.get();
        if (scratch.length < blocks.scratchSize(TILE_ROWS)) {
            scratch = new float[blocks.scratchSize(TILE_ROWS)];
            SCRATCH.set(scratch);
        }
        ArrayDot dot = Codecs.arrayDot();
        for (int r0 = from; r0 < to; r0 += TILE_ROWS) {
            int n = Math.min(TILE_ROWS, to - r0);
            for (int i = 0; i < n; i++) {
                w.decodeRow(r0 + i, tile[i], 0);
            }
            blocks.multiply(dot, tile, n, y, yBase + r0 - from, yStride, scratch);
        }
    }
}
