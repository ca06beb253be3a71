package org.icmlora.tracks.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icmlora.config.Profiles;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraSettings;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Evaluation;
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
        track = new LanguageTrack(Profiles.bind("smoke", "language", LanguageTrackConfig.class),
                Profiles.bind("smoke", "lora", LoraSettings.class), 1, 2, new ArtifactStore(dir.resolve("store")),
                dir.resolve("prepared"), List.of("latex", "chat"), new ByteTokenizer());
    }

    @Test
    void baseTrainingLowersTheLoss() throws Exception {
        JsonObject report = new Gson().fromJson(Files.readString(track.baseModel().resolve("training.json")),
                JsonObject.class);
        var history = report.getAsJsonArray("history");
        assertEquals(track.config().base().epochs(), history.size());
        double first = history.get(0).getAsJsonObject().get("loss").getAsDouble();
        double last = history.get(history.size() - 1).getAsJsonObject().get("loss").getAsDouble();
        assertTrue(last < first - 0.5, "loss should fall: " + history);
    }

    @Test
    void seriesKeepsTheLastEpochsAndEachAdapterLowersItsDomainsPerplexity() {
        for (String domain : List.of("latex", "chat")) {
            AdapterSeries series = track.adapters(domain, 2);
            int n = track.config().lora().epochs();
            assertEquals(List.of(n - 1, n), series.epochs());
            Adapter last = series.last();
            Map<String, Double> base = track.evaluate(domain, Optional.empty()).metrics();
            Map<String, Double> tuned = track.evaluate(domain, Optional.of(last)).metrics();
            assertTrue(tuned.get("ppl") < base.get("ppl"), domain + ": adapter " + tuned + " vs base " + base);
        }
    }

    @Test
    void taskVectorIsTheMeanOfItsSamples() {
        float[][] samples = track.taskVectors().samples("chat", ConditionKind.FINE_TUNED_STATES);
        float[] mean = track.taskVectors().of("chat", ConditionKind.FINE_TUNED_STATES);
        assertEquals(track.config().taskVectorSamples(), samples.length);
        assertEquals(track.config().model().width(), mean.length);
        float expected = 0;
        for (float[] s : samples) {
            expected += s[3] / samples.length;
        }
        assertEquals(expected, mean[3], 1e-5);
        assertEquals(mean[3], track.taskVectors().of("chat", ConditionKind.FINE_TUNED_STATES)[3], 0f); // reused
    }

    @Test
    void adaptersEvaluatedTogetherScoreExactlyAsOneByOne() {
        List<Optional<Adapter>> adapters = List.of(Optional.of(track.adapters("latex", 2).last()), Optional.empty(),
                Optional.of(track.adapters("chat", 2).last()), Optional.of(track.adapters("chat", 2).adapters().get(0)));

        List<Evaluation> together = track.evaluateAll("chat", adapters);

        for (int i = 0; i < adapters.size(); i++) {
            assertEquals(track.evaluate("chat", adapters.get(i)).toJson(), together.get(i).toJson(),
                    "adapter " + i + ": every document's NLL, bit for bit");
        }
    }

    @Test
    void unknownDomainIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> track.evaluate("poetry", Optional.empty()));
        assertTrue(e.getMessage().contains("poetry") && e.getMessage().contains("latex"), e.getMessage());
    }
}
