package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.models.text.MiniLmEncoder;
import org.junit.jupiter.api.Test;

class OnnxRuntimeLibraryTest {

    @Test
    void onnxRuntimeLoadsFromTheKitsCacheNotATemporaryCopy() {
        OnnxRuntimeLibrary.useKitCache();
        Path dir = Path.of(System.getProperty(OnnxRuntimeLibrary.PATH_PROPERTY));
        assertTrue(dir.startsWith(KitPaths.nativeLibraries()), dir.toString());
        assertTrue(dir.getParent().getFileName().toString().startsWith("onnxruntime-"), dir.toString());
        assertTrue(Files.isRegularFile(dir.resolve(System.mapLibraryName("onnxruntime"))), dir.toString());
        assertTrue(Files.isRegularFile(dir.resolve(System.mapLibraryName("onnxruntime4j_jni"))), dir.toString());
        OnnxRuntimeLibrary.useKitCache();
        assertEquals(dir.toString(), System.getProperty(OnnxRuntimeLibrary.PATH_PROPERTY), "unpacked once");
        try (MiniLmEncoder encoder = new MiniLmEncoder()) {
            assertEquals(MiniLmEncoder.DIMENSION, encoder.embed("Detect the bag in the picture.").length,
                    "ONNX Runtime runs from that directory");
        }
    }
}
