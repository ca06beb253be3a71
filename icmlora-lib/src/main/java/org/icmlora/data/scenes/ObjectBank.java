package org.icmlora.data.scenes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Garment photographs grouped by class, the pool a {@link SceneComposer} draws objects from. Each image is 28x28
 * bytes, row-major, 0 = background.
 */
public final class ObjectBank {

    private final Map<Garment, List<byte[]>> byGarment;

    /** A bank of the given images per garment; every garment a scene may ask for needs at least one. */
    public ObjectBank(Map<Garment, List<byte[]>> images) {
        byGarment = new EnumMap<>(Garment.class);
        images.forEach((garment, list) -> {
            for (byte[] image : list) {
                if (image.length != FashionMnist.SIDE * FashionMnist.SIDE) {
                    throw new IllegalArgumentException("object images must be 28x28 = 784 bytes; one image of "
                            + garment + " has " + image.length);
                }
            }
            byGarment.put(garment, List.copyOf(list));
        });
    }

    /** The Fashion-MNIST images of one scene split (see {@link SceneSplit}) from the default data directory. */
    public static ObjectBank fashionMnist(SceneSplit split) {
        FashionMnist source = FashionMnist.load(FashionMnist.defaultDirectory(),
                split == SceneSplit.TEST ? FashionMnist.Split.TEST : FashionMnist.Split.TRAIN);
        int from = split == SceneSplit.VALIDATION ? 50_000 : 0;
        int to = split == SceneSplit.TRAIN ? 50_000 : source.size();
        Map<Garment, List<byte[]>> grouped = new EnumMap<>(Garment.class);
        for (int i = from; i < to; i++) {
            grouped.computeIfAbsent(source.labels().get(i), g -> new ArrayList<>()).add(source.images().get(i));
        }
        return new ObjectBank(grouped);
    }

    /** The images of {@code garment}; fails when the bank has none. */
    public List<byte[]> images(Garment garment) {
        List<byte[]> images = byGarment.get(garment);
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("the object bank holds no image of " + garment + "; it has "
                    + byGarment.keySet());
        }
        return images;
    }
}
