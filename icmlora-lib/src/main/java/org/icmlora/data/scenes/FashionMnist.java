package org.icmlora.data.scenes;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.icmlora.engine.KitPaths;
import org.icmlora.store.AtomicFiles;

/**
 * The Fashion-MNIST images (70,000 grey-scale 28x28 photographs of ten garment classes, Zalando Research, MIT) as
 * {@code datasets/setup-scenes.sh} places them: gzip-compressed IDX files checked against the SHA-256 sums in their
 * {@code manifest.json}.
 *
 * @param split  which file pair was read
 * @param images one 784-byte array per image, row-major, 0 = background
 * @param labels the class of each image
 */
public record FashionMnist(Split split, List<byte[]> images, List<Garment> labels) {

    /** Side of one image. */
    public static final int SIDE = 28;

    /** The package's own two parts. */
    public enum Split {
        /** 60,000 images: the kit's training and validation scenes come from here. */
        TRAIN("train"),
        /** 10,000 images: the kit's test scenes come from here. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Where the set-up script puts the files: {@code datasets/raw/fashion-mnist} of the checkout. */
    public static Path defaultDirectory() {
        return KitPaths.datasets().resolve("raw").resolve("fashion-mnist");
    }

    /** Reads one split from {@code dir}, after checking the files against the directory's manifest. */
    public static FashionMnist load(Path dir, Split split) {
        Path imagesFile = dir.resolve(split.prefix + "-images-idx3-ubyte.gz");
        Path labelsFile = dir.resolve(split.prefix + "-labels-idx1-ubyte.gz");
        verify(dir, imagesFile);
        verify(dir, labelsFile);
        List<byte[]> images = readImages(imagesFile);
        List<Garment> labels = readLabels(labelsFile);
        if (images.size() != labels.size()) {
            throw new IllegalStateException(imagesFile + " holds " + images.size() + " images but " + labelsFile
                    + " holds " + labels.size() + " labels");
        }
        return new FashionMnist(split, List.copyOf(images), List.copyOf(labels));
    }

    /** Number of images. */
    public int size() {
        return images.size();
    }

    private static void verify(Path dir, Path file) {
        Path manifest = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(file)) {
            throw new IllegalStateException("Fashion-MNIST is not set up in " + dir + " (missing " + (Files.isRegularFile(
                    manifest) ? file.getFileName() : "manifest.json") + "); run datasets/setup-scenes.sh");
        }
        try {
            JsonObject files = new Gson().fromJson(Files.readString(manifest), JsonObject.class).getAsJsonObject("files");
            JsonObject entry = files.getAsJsonObject(file.getFileName().toString());
            if (entry == null || !AtomicFiles.sha256(file).equals(entry.get("sha256").getAsString())) {
                throw new IllegalStateException(file + " does not match the SHA-256 in " + manifest
                        + "; delete " + dir + " and run datasets/setup-scenes.sh again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }

    private static List<byte[]> readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IllegalStateException(file + " is not an IDX image file (magic " + Integer.toHexString(magic)
                        + ", expected 803)");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != SIDE || cols != SIDE) {
                throw new IllegalStateException(file + " holds " + rows + "x" + cols + " images, expected 28x28");
            }
            List<byte[]> images = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] image = new byte[SIDE * SIDE];
                in.readFully(image);
                images.add(image);
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (truncated? run datasets/setup-scenes.sh)", e);
        }
    }

    private static List<Garment> readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new IllegalStateException(file + " is not an IDX label file (magic " + Integer.toHexString(magic)
                        + ", expected 801)");
            }
            int count = in.readInt();
            List<Garment> labels = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                labels.add(Garment.ofLabel(in.readUnsignedByte()));
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (truncated? run datasets/setup-scenes.sh)", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    }
}
