package io.moezoo.bench;

import io.moezoo.engine.gguf.GgufExport;
import io.moezoo.engine.gguf.GgufType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Exports a generated checkpoint to GGUF for the llama.cpp runs ({@code moe-zoo gguf export}
 * without the command line).
 *
 * <p>Usage: {@code GgufFiles CHECKPOINT_DIR OUT.gguf f32|f16|bf16|q8_0|q4_0}; does nothing if OUT
 * exists.
 */
public final class GgufFiles {

    private GgufFiles() {}

    /**
     * Exports the checkpoint.
     *
     * @param args CHECKPOINT_DIR OUT.gguf TYPE
     * @throws Exception if the export fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[1]);
        if (Files.exists(out)) {
            return;
        }
        long start = System.nanoTime();
        GgufExport.Summary summary =
                GgufExport.export(
                        Paths.get(args[0]),
                        out,
                        GgufType.valueOf(args[2].toUpperCase(Locale.ROOT)));
        System.out.printf(
                "exported %s: %d tensors, %.2f GB in %.1f s%n",
                out, summary.tensors(), summary.bytes() / 1e9, (System.nanoTime() - start) / 1e9);
    }
}
