package io.moezoo.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a main class in a fresh JVM, as an application would start, and collects what it printed. */
final class JavaProcess {

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {

        String describe() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private JavaProcess() {}

    /** The test class path, less the jars a library user would not have (the CLI and the lab). */
    static String libraryClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(
                        p -> {
                            String name = Paths.get(p).getFileName().toString();
                            return !name.startsWith("moe-zoo-cli")
                                    && !name.startsWith("moe-zoo-recipes")
                                    && !name.startsWith("picocli")
                                    && !name.startsWith("xchart");
                        })
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The whole test class path (the CLI's dependencies included). */
    static String fullClassPath() {
        return System.getProperty("java.class.path");
    }

    static Result run(Path workDir, String classPath, List<String> jvmArgs, String mainClass,
            String... args) throws IOException, InterruptedException {
        Path cache = Paths.get(System.getProperty("moezoo.work", "target/work")).resolve("djl-cache");
        return run(workDir, classPath, cache, jvmArgs, mainClass, args);
    }

    /** Runs with its own DJL cache directory (property and environment variable both). */
    static Result run(Path workDir, String classPath, Path cacheDir, List<String> jvmArgs,
            String mainClass, String... args) throws IOException, InterruptedException {
        Path cache = cacheDir.toAbsolutePath();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx1g");
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Dai.djl.offline=true");
        command.add("-DDJL_CACHE_DIR=" + cache.toAbsolutePath());
        // the engine's natives are extracted once, whatever the model cache
        Path engines = Paths.get(System.getProperty("moezoo.work", "target/work")).resolve("djl-cache");
        command.add("-DENGINE_CACHE_DIR=" + engines.toAbsolutePath());
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile("it-out", ".txt");
        Path err = Files.createTempFile("it-err", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        pb.environment().put("DJL_CACHE_DIR", cache.toAbsolutePath().toString());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " " + List.of(args) + " ran over 10 minutes");
        }
        Result r =
                new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
