package org.icmlora.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.icmlora.engine.KitPaths;

/**
 * Where a result was made, for its {@code result.json}: the checkout's git commit (and whether it had uncommitted
 * changes) and the machine (operating system, processor cores, memory, Java).
 */
final class RunFacts {

    private static Map<String, Object> cached;

    private RunFacts() {}

    /** The facts, computed once per JVM. */
    static synchronized Map<String, Object> get() {
        if (cached == null) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("commit", git("rev-parse", "HEAD"));
            facts.put("uncommittedChanges", !git("status", "--porcelain", "--untracked-files=no").isEmpty());
            Runtime runtime = Runtime.getRuntime();
            facts.put("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                    + runtime.availableProcessors() + " cores, " + (runtime.maxMemory() >> 20) + " MiB heap, Java "
                    + System.getProperty("java.version"));
            cached = facts;
        }
        return cached;
    }

    /** What {@code git args} prints in the checkout, or "unknown" where git or the repository is missing. */
    private static String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).directory(KitPaths.root().toFile())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
