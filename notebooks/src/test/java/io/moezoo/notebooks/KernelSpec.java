package io.moezoo.notebooks;

import com.google.gson.GsonBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the project's Jupyter kernelspec ({@code kernel.json}) beside the rapaio-jupyter-kernel
 * jar (started through {@link KernelLauncher}), so that {@code
 * JUPYTER_PATH=notebooks/target/jupyter} finds it and nothing is installed in the user's home.
 *
 * <p>The kernel runs on a JDK 21+ ({@link JdkLocator}), headless, with DJL offline and its caches
 * under {@code target/}. Its {@code %dependency} magic resolves through a local repository given by
 * {@code RJK_MIMA_CACHE} relative to the kernel jar's folder: {@code m2} there is a {@link
 * ReactorRepository}, the local Maven repository with this checkout's project artifacts (offline;
 * anything missing comes from Maven Central).
 */
public final class KernelSpec {

    static final String JAR = "rapaio-jupyter-kernel.jar";
    static final String REPOSITORY_DIR = "m2";
    static final String LAUNCHER_DIR = "launcher";

    private KernelSpec() {}

    /**
     * Writes the kernelspec; run by the build in process-test-classes.
     *
     * @param args kernel folder (holding the jar), local Maven repository, DJL cache folder,
     *     project folder and optionally an explicit JDK home
     * @throws IOException if the files cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "usage: KernelSpec KERNEL_DIR LOCAL_REPOSITORY DJL_CACHE_DIR PROJECT_DIR"
                            + " [JDK_HOME]");
        }
        JdkLocator.Jdk jdk = JdkLocator.locate(args.length > 4 ? args[4] : "");
        Path file = write(Path.of(args[0]), Path.of(args[2]), jdk);
        new ReactorRepository(Path.of(args[3]), Path.of(args[1]))
                .writeTo(Path.of(args[0]).resolve(REPOSITORY_DIR));
        System.out.println("Jupyter kernel (Java " + jdk.version() + ") written to " + file);
    }

    /** Copies the {@link KernelLauncher} class file beside the kernel; returns its class folder. */
    private static Path installLauncher(Path dir) throws IOException {
        String resource = KernelLauncher.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(LAUNCHER_DIR).resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = KernelLauncher.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file not found: " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return dir.resolve(LAUNCHER_DIR);
    }

    /**
     * Writes kernel.json into the kernel folder.
     *
     * @param kernelDir the folder holding the kernel jar
     * @param djlCache the DJL cache folder
     * @param jdk the JDK to run the kernel with
     * @return the kernel.json file
     * @throws IOException if the files cannot be written or the kernel jar is missing
     */
    static Path write(Path kernelDir, Path djlCache, JdkLocator.Jdk jdk) throws IOException {
        Path dir = kernelDir.toAbsolutePath();
        Path jar = dir.resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IOException("kernel jar missing: " + jar + " (the build copies it there)");
        }
        Path cache = djlCache.toAbsolutePath();
        Files.createDirectories(cache);

        List<String> argv = new ArrayList<>();
        argv.add(jdk.java().toString());
        argv.add("-Xmx6g");
        argv.add("-Djava.awt.headless=true");
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("-Dai.djl.offline=true");
        argv.add("-Dai.djl.default_engine=PyTorch");
        argv.add("-DDJL_CACHE_DIR=" + cache);
        argv.add("-DENGINE_CACHE_DIR=" + cache);
        argv.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        argv.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error");
        argv.add("-cp");
        argv.add(jar + File.pathSeparator + installLauncher(dir));
        argv.add(KernelLauncher.class.getName());
        argv.add("{connection_file}");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("RJK_CLASSPATH", "");
        env.put("RJK_COMPILER_OPTIONS", "");
        env.put("RJK_INIT_SCRIPT", "");
        env.put("RJK_TIMEOUT_MILLIS", "-1");
        env.put("RJK_MIMA_CACHE", REPOSITORY_DIR);
        env.put("DJL_OFFLINE", "true");
        env.put("DJL_CACHE_DIR", cache.toString());
        env.put("ENGINE_CACHE_DIR", cache.toString());
        env.put("OPT_OUT_TRACKING", "true");
        env.put("OMP_NUM_THREADS", "2");
        // The data sets the notebooks read (the kernel's working directory is notebooks/).
        // notebooks.dir is this module's directory (set by the pom); its parent is the checkout.
        Path root =
                Paths.get(System.getProperty("notebooks.dir", "notebooks"))
                        .toAbsolutePath()
                        .normalize()
                        .getParent();
        env.put("MOEZOO_DATA_BROWN", root.resolve("target").resolve("brown.jsonl").toString());
        env.put(
                "MOEZOO_DATA_NPM",
                root.resolve("tools").resolve("data").resolve("node_modules").toString());

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", "Java " + jdk.feature() + " (MoE Zoo)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", env);
        Path file = dir.resolve("kernel.json");
        Files.writeString(
                file,
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec));
        return file;
    }
}
