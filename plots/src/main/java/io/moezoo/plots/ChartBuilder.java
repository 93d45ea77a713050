package io.moezoo.plots;

/**
 * What every chart's builder sets: the title and the image size. The setters return the concrete
 * builder, so that they chain with its own ({@code ExpertLoadChart.builder().optTitle("…")
 * .setLoadFractions(…)}).
 *
 * @param <B> the concrete builder
 */
public abstract class ChartBuilder<B extends ChartBuilder<B>> {

    private String title;
    private int width;
    private int height;

    /**
     * Creates a builder with the chart's defaults.
     *
     * @param title the default title
     * @param width the default width in pixels
     * @param height the default height in pixels (a chart may treat a value below 1 as "fit the
     *     content")
     */
    protected ChartBuilder(String title, int width, int height) {
        this.title = title;
        this.width = width;
        this.height = height;
    }

    /**
     * Sets the title.
     *
     * @param title the chart title (null for none)
     * @return this builder
     */
    public B optTitle(String title) {
        this.title = title;
        return self();
    }

    /**
     * Sets the image size.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @return this builder
     */
    public B optSize(int width, int height) {
        this.width = width;
        this.height = height;
        return self();
    }

    /**
     * Returns the title, empty when none was set.
     *
     * @return the title
     */
    protected String title() {
        return title == null ? "" : title;
    }

    /**
     * Returns the width in pixels.
     *
     * @return the width
     */
    protected int width() {
        return width;
    }

    /**
     * Returns the height in pixels.
     *
     * @return the height
     */
    protected int height() {
        return height;
    }

    /**
     * Returns this builder as its concrete type.
     *
     * @return this
     */
    protected abstract B self();
}
