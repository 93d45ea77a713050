package io.moezoo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** This process's resident memory from {@code /proc/self/status} (Linux). */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Peak resident set (VmHWM) in bytes, or -1 where /proc is not available. */
    static long peakResident() {
        return field("VmHWM:");
    }

    /** Current resident set (VmRSS) in bytes, or -1. */
    static long resident() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return 1024
                            * Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
