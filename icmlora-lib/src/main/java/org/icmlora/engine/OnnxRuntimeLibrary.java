package org.icmlora.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.icmlora.store.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ONNX Runtime (the MiniLM sentence encoder's runtime) loads its native libraries from. Left alone, every JVM
 * copies them (20 MB) out of the onnxruntime jar into a fresh {@code /tmp/onnxruntime-java*} directory and removes
 * them at exit; a killed JVM leaves them behind. The kit unpacks them once into
 * {@code .cache/native/<jar>/<os-arch>/} ({@link KitPaths#nativeLibraries()}) and points ONNX Runtime there with its
 * system property {@value #PATH_PROPERTY}, which it reads when it first loads.
 *
 * <p>The directory is written under a temporary name and renamed into place, so concurrent JVMs never load a half-written
 * library. ONNX Runtime 1.21 still creates (and at once removes) an empty temporary directory while loading.
 */
public final class OnnxRuntimeLibrary {

    /** ONNX Runtime's system property: a directory holding its native libraries, loaded instead of extracting them. */
    public static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeLibrary.class);

    private OnnxRuntimeLibrary() {}

    /**
     * Sets {@value #PATH_PROPERTY} to the kit's unpacked copy, unpacking it first if needed. Does nothing when the
     * property is already set, and leaves ONNX Runtime to its default when the jar holds no library for this platform
     * or the copy cannot be written (with a warning).
     */
    public static synchronized void useKitCache() {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        String platform = platform();
        URL first = OnnxRuntimeLibrary.class.getResource(resource(platform, LIBRARIES.get(0)));
        if (platform == null || first == null) {
            return;
        }
        try {
            Path dir = KitPaths.nativeLibraries().resolve(jarName(first)).resolve(platform);
            if (!Files.isDirectory(dir)) {
                unpack(platform, dir);
            }
            System.setProperty(PATH_PROPERTY, dir.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ONNX Runtime unpacks its libraries into the temporary directory: cannot use the kit's cache ({})",
                    e.getMessage());
        }
    }

    private static void unpack(String platform, Path dir) throws IOException {
        Path temp = dir.resolveSibling("." + dir.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(temp);
            for (String library : LIBRARIES) {
                try (InputStream in = OnnxRuntimeLibrary.class.getResourceAsStream(resource(platform, library))) {
                    if (in == null) {
                        throw new IOException("the onnxruntime jar has no " + resource(platform, library));
                    }
                    Files.copy(in, temp.resolve(System.mapLibraryName(library)));
                }
            }
            try {
                Files.move(temp, dir); // a directory rename: atomic, and it fails if another JVM got there first
                LOG.info("unpacked ONNX Runtime's native libraries into {}", dir);
            } catch (FileAlreadyExistsException raced) {
                // another JVM unpacked the same jar meanwhile: use its copy
            }
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** The jar the library comes from, without ".jar" (e.g. {@code onnxruntime-1.21.1}): a new version, a new copy. */
    private static String jarName(URL resource) {
        String url = resource.toString();
        int bang = url.indexOf("!/");
        String file = bang < 0 ? "onnxruntime" : url.substring(url.lastIndexOf('/', bang) + 1, bang);
        return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }

    private static String resource(String platform, String library) {
        return "/ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(library);
    }

    /** ONNX Runtime's name for this platform ({@code linux-x64}, {@code osx-aarch64}, ...), or null if it has none. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : null;
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") ? "aarch64" : null;
        return osName == null || archName == null ? null : osName + "-" + archName;
    }
}
