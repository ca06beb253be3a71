package org.icmlora.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.GeneratorConfig;
import org.icmlora.generate.core.GeneratorFiles;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.generate.cvae.CvaeGenerator;
import org.icmlora.generate.pdiff.PdiffGenerator;
import org.icmlora.generate.soup.ModelSoup;
import org.icmlora.store.CorruptArtifactException;

/**
 * The one registry of the kit's generating methods: which generator a configuration builds, and which generator an
 * artifact directory holds. Adding a method means a configuration type in {@link GeneratorConfig}'s permits list, a
 * line in {@link #create} and one in {@link #LOADERS}.
 */
public final class Generators {

    private static final Map<String, Function<Path, LoraGenerator>> LOADERS = Map.of(
            CvaeGenerator.KIND, CvaeGenerator::load,
            PdiffGenerator.KIND, PdiffGenerator::load,
            ModelSoup.KIND, ModelSoup::load);

    private Generators() {}

    /** A new, unfitted generator of the method {@code config} configures. */
    public static LoraGenerator create(GeneratorConfig config) {
        if (config instanceof CvaeConfig cvae) {
            return new CvaeGenerator(cvae);
        }
        if (config instanceof PdiffConfig pdiff) {
            return new PdiffGenerator(pdiff);
        }
        if (config instanceof SoupConfig soup) {
            return new ModelSoup(soup);
        }
        throw new AssertionError("GeneratorConfig is sealed; unhandled " + config.getClass());
    }

    /** Loads whichever generator {@code dir} holds (written by {@link LoraGenerator#save}). */
    public static LoraGenerator load(Path dir) {
        Path metadata = dir.resolve(GeneratorFiles.METADATA);
        String kind;
        try {
            kind = GeneratorFiles.kind(Files.readString(metadata));
        } catch (IOException | RuntimeException e) {
            throw new CorruptArtifactException(metadata, "cannot be read as generator metadata (" + e.getMessage()
                    + ")");
        }
        Function<Path, LoraGenerator> loader = LOADERS.get(kind);
        if (loader == null) {
            throw new IllegalArgumentException(metadata + " names an unknown generator kind '" + kind + "'; known: "
                    + LOADERS.keySet());
        }
        return loader.apply(dir);
    }
}
