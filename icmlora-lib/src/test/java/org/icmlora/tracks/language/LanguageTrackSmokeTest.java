package org.icmlora.tracks.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraCheckpoint;
import org.icmlora.store.ArtifactStore;
import org.icmlora.taskvec.TaskVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageTrackSmokeTest {

    @TempDir
    static Path dir;
    static LanguageTrack track;

    @BeforeAll
    static void buildTrack() {
        KitEngine.init(1);
        SyntheticCorpora.write(dir.resolve("prepared"), 60);
        track = new LanguageTrack(LanguageTrackConfig.forProfile(Profile.SMOKE), new ArtifactStore(dir.resolve("store")),
                dir.resolve("prepared"), List.of("latex", "chat"));
    }

    @Test
    void baseTrainingLowersTheLoss() throws Exception {
        String losses = java.nio.file.Files.readString(track.baseModel().resolve("losses.json"));
        double[] values = java.util.Arrays.stream(losses.replaceAll("[\\[\\] ]", "").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        assertEquals(track.config().base().epochs(), values.length);
        assertTrue(values[values.length - 1] < values[0] - 0.5, "loss should fall: " + losses);
    }

    @Test
    void seriesKeepsTheLastEpochsAndEachAdapterLowersItsDomainsPerplexity() {
        int rank = track.config().adapter().rank();
        for (String domain : track.domains()) {
            CheckpointSeries series = track.adapterSeries(domain, rank);
            int n = track.config().lora().epochs();
            assertEquals(List.of(n - 1, n), series.epochs());
            LoraCheckpoint last = series.load(n);
            LanguageModelScore base = track.evaluate(domain, last.layout(), null);
            LanguageModelScore tuned = track.evaluate(domain, last.layout(), last.vector());
            assertTrue(tuned.perplexity() < base.perplexity(),
                    domain + ": adapter PPL " + tuned.perplexity() + " vs base " + base.perplexity());
            assertEquals(base.tokens(), tuned.tokens());
        }
    }

    @Test
    void taskVectorIsTheMeanOfItsSamples() {
        TaskVector v = track.taskVector("chat");
        assertEquals(track.config().taskVectorSamples(), v.samples().length);
        assertEquals(track.config().model().width(), v.mean().length);
        float expected = 0;
        for (float[] s : v.samples()) {
            expected += s[3] / v.samples().length;
        }
        assertEquals(expected, v.mean()[3], 1e-5);
        assertEquals(v.mean()[3], track.taskVector("chat").mean()[3], 0f); // reused from the store
    }

    @Test
    void unknownDomainIsAClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> track.evaluate("poetry", track.layout(2), null));
        assertTrue(e.getMessage().contains("poetry") && e.getMessage().contains("latex"), e.getMessage());
    }
}
