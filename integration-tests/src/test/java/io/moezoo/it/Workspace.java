package io.moezoo.it;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * The working directory the README's snippets and the CLI run in, holding the files they name: small
 * Hugging Face checkpoints ({@code olmoe/}, {@code mixtral/}: the hf module's parity fixtures with a
 * word-level tokenizer for olmoe) and a 28x28 grayscale image ({@code boot.png}).
 */
final class Workspace {

    static final Path PROJECT = Paths.get(System.getProperty("moezoo.project", ".."));

    private static boolean prepared;

    private Workspace() {}

    static synchronized Path prepare() throws IOException {
        Path work = Paths.get(System.getProperty("moezoo.work", "target/work")).toAbsolutePath();
        if (prepared) {
            return work;
        }
        // A fresh workspace per run (outputs of an earlier run would be refused as existing), but
        // the DJL cache with the extracted PyTorch natives is kept.
        if (Files.isDirectory(work)) {
            try (java.util.stream.Stream<Path> entries = Files.list(work)) {
                for (Path entry : entries.toList()) {
                    if (!entry.getFileName().toString().equals("djl-cache")) {
                        deleteTree(entry);
                    }
                }
            }
        }
        Files.createDirectories(work);
        for (String name : new String[] {"olmoe", "mixtral"}) {
            Path from = PROJECT.resolve("hf/src/test/resources/fixtures").resolve(name);
            Path to = Files.createDirectories(work.resolve(name));
            for (String f : new String[] {"config.json", "model.safetensors"}) {
                Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            if (name.equals("olmoe")) { // the GGUF export wants no (or a byte-level BPE) tokenizer
                Files.writeString(to.resolve("tokenizer.json"), wordTokenizer(64));
            }
        }
        BufferedImage boot = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 18; y < 26; y++) {
            for (int x = 6; x < 24; x++) {
                boot.getRaster().setSample(x, y, 0, 200);
            }
        }
        ImageIO.write(boot, "png", work.resolve("boot.png").toFile());
        prepared = true;
        return work;
    }

    private static void deleteTree(Path path) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A word-level tokenizer.json: "The", "jury", "said" and w3 ... w(n-1), unknown words to 0.
     */
    static String wordTokenizer(int vocabulary) {
        StringBuilder vocab = new StringBuilder("\"<unk>\":0,\"The\":1,\"jury\":2,\"said\":3");
        for (int i = 4; i < vocabulary; i++) {
            vocab.append(",\"w").append(i).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{"
                + vocab
                + "},\"unk_token\":\"<unk>\"}}";
    }
}
