package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile files, overrides, and what an override changes: its stages' keys and nothing else. */
class KitConfigTest {

    @TempDir
    Path dir;

    private RunContext context(Profile profile, String... overrides) {
        return RunContext.of(profile, List.of(overrides), new ArtifactStore(dir), dir);
    }

    @Test
    void everyProfileBindsEveryKey() {
        for (Profile profile : Profile.values()) {
            KitConfig config = context(profile).config();
            assertEquals(List.of(10, 11, 12, 13, 14, 20), config.table5().depths(), profile.id());
        }
        assertEquals(12, context(Profile.FULL).config().cvae().depth(), "the paper's 12 conv layers");
        assertEquals(2000, context(Profile.FULL).config().cvae().epochs(), "and its 2,000 epochs");
    }

    @Test
    void overridesReachTheConfigurationAndTheResultFile() {
        RunContext context = context(Profile.SMOKE, "table5.depths=8,10,12,16", "lora.rank=4", "run.seed=9");
        assertEquals(List.of(8, 10, 12, 16), context.config().table5().depths());
        assertEquals(4, context.config().lora().rank());
        assertEquals(9, context.seed());
        assertEquals(List.of("table5.depths", "lora.rank", "run.seed"), context.settings().overriddenKeys());
        assertEquals("8,10,12,16", context.settings().effective().get("table5.depths"));
        RunContext notebook = context.with("cvae.depth", "6");
        assertEquals(6, notebook.config().cvae().depth());
        assertEquals(4, notebook.withProfile(Profile.QUICK).config().lora().rank(), "overrides survive a profile"
                + " change");
    }

    @Test
    void aWrongKeyOrValueIsAClearError() {
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> context(Profile.SMOKE, "cvae.dept=8"));
        assertTrue(key.getMessage().startsWith("--set cvae.dept=8: smoke.conf has no key 'cvae.dept' (did you mean"
                + " cvae.depth?); valid keys: cvae.depth, cvae.latentDim,"), key.getMessage());
        assertTrue(key.getMessage().endsWith("cvae.normalization (every key: smoke.conf)"), key.getMessage());
        IllegalArgumentException section = assertThrows(IllegalArgumentException.class,
                () -> context(Profile.SMOKE, "gan.depth=8"));
        assertTrue(section.getMessage().endsWith("the sections are [run, lora, detection, language, cvae, pdiff, soup,"
                + " table5, stats, controls, heldout] (every key: smoke.conf)"), section.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> context(Profile.SMOKE, "cvae.depth=0"));
        assertTrue(value.getMessage().startsWith("cvae: CVAE config: depth must be >= 1, got 0"), value.getMessage());
        IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                () -> context(Profile.SMOKE, "lora.ranks=1,,2"));
        assertTrue(list.getMessage().contains("lora.ranks = '1,,2': a list item is empty"), list.getMessage());
    }

    @Test
    void anOverrideChangesTheKeysOfTheStagesThatUseItAndNoOthers() {
        Track plain = Tracks.detection(context(Profile.SMOKE));
        Track longer = Tracks.detection(context(Profile.SMOKE, "detection.lora.epochs=4"));
        Track otherGenerator = Tracks.detection(context(Profile.SMOKE, "cvae.depth=6"));
        Track otherSeed = Tracks.detection(context(Profile.SMOKE, "run.seed=1"));
        assertEquals(plain.baseKey(), longer.baseKey(), "LoRA epochs do not change the base model");
        assertNotEquals(plain.adaptersKey("dress", 2), longer.adaptersKey("dress", 2));
        assertEquals(plain.adaptersKey("dress", 2), otherGenerator.adaptersKey("dress", 2),
                "a generator setting does not retrain adapters");
        assertEquals(plain.baseKey(), otherSeed.baseKey(), "the base model is shared by every run seed");
        assertNotEquals(plain.adaptersKey("dress", 2), otherSeed.adaptersKey("dress", 2));
    }
}
