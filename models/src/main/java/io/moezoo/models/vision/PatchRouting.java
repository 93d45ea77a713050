package io.moezoo.models.vision;

/**
 * Where the tokens of a batch of images went in one MoE block: a host copy of the routing decision,
 * kept after the forward pass (whose NDArrays are gone) for routing heatmaps.
 *
 * <p>Tokens are ordered image by image; within an image the class token (if any) comes first, then
 * the patches in row-major order over the {@code gridSize × gridSize} grid. Each token has k slots;
 * slot 0 is its first choice.
 *
 * @param layer the index of the MoE block in the encoder
 * @param numImages B, the images of the pass
 * @param tokensPerImage the tokens per image (patches, plus one for a class token)
 * @param gridSize the patches per side
 * @param numSlots k, the slots per token
 * @param experts the expert of each (token, slot) after capacity, row-major {@code [B·T·k]}, -1
 *     where the choice was dropped for capacity
 * @param choices the expert each (token, slot) chose before capacity, row-major {@code [B·T·k]}
 * @param capacity the capacity per expert and image
 */
public record PatchRouting(
        int layer,
        int numImages,
        int tokensPerImage,
        int gridSize,
        int numSlots,
        int[] experts,
        int[] choices,
        int capacity) {

    /**
     * Validates the sizes.
     *
     * @param layer the block index
     * @param numImages B
     * @param tokensPerImage T
     * @param gridSize the grid side
     * @param numSlots k
     * @param experts the kept experts
     * @param choices the choices
     * @param capacity the capacity
     */
    public PatchRouting {
        int patches = gridSize * gridSize;
        if (numImages <= 0
                || numSlots <= 0
                || (tokensPerImage != patches && tokensPerImage != patches + 1)
                || experts.length != numImages * tokensPerImage * numSlots
                || choices.length != experts.length) {
            throw new IllegalArgumentException(
                    "Inconsistent patch routing: B="
                            + numImages
                            + ", T="
                            + tokensPerImage
                            + ", grid="
                            + gridSize
                            + ", k="
                            + numSlots
                            + ", "
                            + experts.length
                            + " entries");
        }
    }

    /**
     * Returns the expert that processed each patch of an image in one slot, as a grid: {@code
     * grid[row][column]}, -1 where the choice was dropped for capacity.
     *
     * @param image the image index in the batch
     * @param slot the slot (0 = first choice)
     * @return the expert grid
     * @throws IndexOutOfBoundsException if image or slot is out of range
     */
    public int[][] expertGrid(int image, int slot) {
        return grid(experts, image, slot);
    }

    /**
     * Returns the expert each patch chose in one slot before capacity dropping, as a grid.
     *
     * @param image the image index in the batch
     * @param slot the slot (0 = first choice)
     * @return the choice grid
     * @throws IndexOutOfBoundsException if image or slot is out of range
     */
    public int[][] choiceGrid(int image, int slot) {
        return grid(choices, image, slot);
    }

    /**
     * Returns the expert of the class token in one slot, or -1 if dropped.
     *
     * @param image the image index
     * @param slot the slot
     * @return the expert
     * @throws IllegalStateException if the model has no class token
     */
    public int classTokenExpert(int image, int slot) {
        if (tokensPerImage == gridSize * gridSize) {
            throw new IllegalStateException("This model pools by mean and has no class token");
        }
        check(image, slot);
        return experts[(image * tokensPerImage) * numSlots + slot];
    }

    private int[][] grid(int[] values, int image, int slot) {
        check(image, slot);
        int first = tokensPerImage - gridSize * gridSize; // skip the class token
        int[][] grid = new int[gridSize][gridSize];
        for (int r = 0; r < gridSize; r++) {
            for (int c = 0; c < gridSize; c++) {
                int token = image * tokensPerImage + first + r * gridSize + c;
                grid[r][c] = values[token * numSlots + slot];
            }
        }
        return grid;
    }

    private void check(int image, int slot) {
        if (image < 0 || image >= numImages || slot < 0 || slot >= numSlots) {
            throw new IndexOutOfBoundsException(
                    "image "
                            + image
                            + " / slot "
                            + slot
                            + " outside B="
                            + numImages
                            + ", k="
                            + numSlots);
        }
    }
}
