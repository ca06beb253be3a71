package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.StageKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private final ByteArrayOutputStream outBuffer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBuffer = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(outBuffer, true, StandardCharsets.UTF_8),
            new PrintStream(errBuffer, true, StandardCharsets.UTF_8));

    @TempDir
    Path cache;

    @AfterEach
    void clearSettings() {
        System.clearProperty("ICMLORA_CACHE");
        System.clearProperty("ICMLORA_PROFILE");
    }

    private String out() {
        return outBuffer.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBuffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommandIsAUsageErrorOnStandardError() {
        assertEquals(2, cli.execute("train"));
        assertTrue(err().startsWith("icmlora: unknown command 'train'\nusage: icmlora.sh run"), err());
        assertEquals("", out());
    }

    @Test
    void unknownExperimentNamesTheValidOnes() {
        assertEquals(2, cli.execute("run", "table9"));
        assertTrue(err().contains("no experiment 'table9'; choose from"), err());
    }

    @Test
    void badOptionsAreNamedAsGiven() {
        assertEquals(2, cli.execute("run", "all", "--profile", "huge"));
        assertTrue(err().contains("--profile must be one of smoke, quick, full; got 'huge'"), err());
        assertEquals(2, cli.execute("run", "all", "--seed"));
        assertTrue(err().contains("--seed needs a value"), err());
        assertEquals(2, cli.execute("run", "table1", "--seed", "seven"));
        assertTrue(err().contains("--seed must be a whole number, got 'seven'"), err());
        assertFalse(err().contains("ICMLORA_SEED"), err());
        assertEquals(2, cli.execute("run", "table1", "--profil", "smoke"));
        assertTrue(err().contains("unknown option '--profil'"), err());
    }

    @Test
    void cleanOfAStageNotInTheCacheIsAUsageErrorListingItsStages() {
        System.setProperty("ICMLORA_CACHE", cache.toString());
        store().getOrCompute(ArtifactStore.key("detection-base", Map.of()), Map.of(), dir -> Files.writeString(
                dir.resolve("w.bin"), "w"));
        assertEquals(2, cli.execute("clean", "detection-bsae"));
        assertTrue(err().contains("no stage 'detection-bsae' in the cache " + cache
                + "; its stages are detection-base"), err());
        assertEquals(2, cli.execute("clean"));
        assertEquals(0, cli.execute("clean", "detection-base"));
        assertTrue(out().contains("removed 1 output(s) of stage detection-base"), out());
    }

    @Test
    void verifyListsTheBadOutputsAndRepairRemovesThemWithWhatWasMadeFromThem() throws Exception {
        System.setProperty("ICMLORA_CACHE", cache.toString());
        ArtifactStore store = store();
        StageKey base = ArtifactStore.key("detection-base", Map.of());
        StageKey lora = ArtifactStore.key("detection-lora", Map.of(), base);
        StageKey text = ArtifactStore.key("detection-taskvec-text", Map.of());
        Path weights = store.getOrCompute(base, Map.of(), dir -> Files.writeString(dir.resolve("w.bin"), "weights"))
                .resolve("w.bin");
        store.getOrCompute(lora, Map.of(), dir -> Files.writeString(dir.resolve("a.bin"), "adapter"));
        Path manifest = store.getOrCompute(text, Map.of(), dir -> Files.writeString(dir.resolve("v.json"), "[]"))
                .resolve("manifest.json");
        assertEquals(0, cli.execute("verify"));
        assertTrue(out().contains("all 3 outputs in " + cache + " are intact"), out());

        Files.writeString(weights, "weighTs");
        Files.writeString(manifest, "");
        assertEquals(0, cli.execute("cache"), err());
        assertTrue(out().contains("DAMAGED: manifest.json is empty"), out());
        assertEquals(1, cli.execute("verify"));
        assertTrue(out().contains("DAMAGED " + weights + ": does not match the SHA-256"), out());
        assertTrue(out().contains("DAMAGED " + manifest + ": is empty"), out());
        assertTrue(out().contains("2 of 3 outputs are bad; run 'bash environment/icmlora.sh repair'"), out());

        assertEquals(0, cli.execute("repair"));
        assertTrue(out().contains("removed 2 bad output(s) and 1 made from them (1 detection-lora)"), out());
        assertTrue(store.list().isEmpty());
        assertEquals(0, cli.execute("verify"));
    }

    @Test
    void listNamesEveryExperiment() {
        assertEquals(0, cli.execute("list"));
        Experiments.all().forEach(e -> assertTrue(out().contains(e.id()), e.id()));
    }

    private ArtifactStore store() {
        return new ArtifactStore(cache);
    }
}
