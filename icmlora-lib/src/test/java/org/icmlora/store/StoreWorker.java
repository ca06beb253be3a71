package org.icmlora.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A separate process using a store, started by {@link ArtifactStoreConcurrencyTest}: computes (or reuses) the output
 * of stage {@code lora} with configuration {@code n}, appending "start PID" and "end PID" to a journal around its
 * producer, which takes {@code millis} to work; in mode {@code hang} the producer never returns (the test kills it); in
 * mode {@code needs-M} the producer then needs the output of configuration {@code M} as an input.
 *
 * <pre>java org.icmlora.store.StoreWorker ROOT N MILLIS JOURNAL compute|hang|needs-M</pre>
 */
public final class StoreWorker {

    private StoreWorker() {}

    public static void main(String[] args) throws Exception {
        ArtifactStore store = new ArtifactStore(Path.of(args[0]), () -> ArtifactStoreTest.SETTINGS);
        Map<String, Object> config = Map.of("n", Integer.parseInt(args[1]));
        long millis = Long.parseLong(args[2]);
        Path journal = Path.of(args[3]);
        boolean hang = args[4].equals("hang");
        StageKey key = ArtifactStoreTest.key("lora", config);
        String pid = Long.toString(ProcessHandle.current().pid());
        Path output = store.getOrCompute(key, config, dir -> {
            Files.writeString(store.workDir(key).resolve("checkpoint.txt"), pid);
            Files.writeString(dir.resolve("partial.txt"), "half");
            note(journal, "start " + pid); // after the partial work, which a test then finds when it kills this run
            pause(hang ? Long.MAX_VALUE : millis);
            if (args[4].startsWith("needs-")) {
                Map<String, Object> input = Map.of("n", Integer.parseInt(args[4].substring("needs-".length())));
                store.getOrCompute(ArtifactStoreTest.key("lora", input), input,
                        in -> Files.writeString(in.resolve("adapter.txt"), "computed by " + pid));
            }
            Files.writeString(dir.resolve("adapter.txt"), "trained once");
            note(journal, "end " + pid);
        });
        System.out.println(output);
    }

    private static void pause(long millis) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private static void note(Path journal, String line) throws java.io.IOException {
        Files.writeString(journal, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
