package org.icmlora.data.scenes;

import java.util.Locale;

/**
 * The ten Fashion-MNIST classes, in the data set's label order, each with the noun its detection prompt uses.
 *
 * <p>The prompt has the form of the paper's task descriptions ("Detect the cat in the picture."): a detector of the
 * kit is told in words which garment to find.
 */
public enum Garment {
    T_SHIRT("T-shirt"),
    TROUSER("trouser"),
    PULLOVER("pullover"),
    DRESS("dress"),
    COAT("coat"),
    SANDAL("sandal"),
    SHIRT("shirt"),
    SNEAKER("sneaker"),
    BAG("bag"),
    ANKLE_BOOT("ankle boot");

    private final String noun;

    Garment(String noun) {
        this.noun = noun;
    }

    /** The Fashion-MNIST label of this class (0-9). */
    public int label() {
        return ordinal();
    }

    /** The garment for a Fashion-MNIST label; fails for a value outside 0-9. */
    public static Garment ofLabel(int label) {
        if (label < 0 || label >= values().length) {
            throw new IllegalArgumentException("Fashion-MNIST labels are 0-9, got " + label);
        }
        return values()[label];
    }

    /** Parses a name such as "sneaker", "ankle boot", "ANKLE_BOOT" or "t-shirt". */
    public static Garment parse(String name) {
        String wanted = normalise(name);
        for (Garment g : values()) {
            if (normalise(g.noun).equals(wanted) || normalise(g.name()).equals(wanted)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown garment '" + name + "'; known: " + java.util.Arrays.stream(values())
                .map(Garment::id).toList());
    }

    private static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
    }

    /** The noun used in prompts and tables, e.g. "ankle boot". */
    public String noun() {
        return noun;
    }

    /** A lower-case identifier for file names and keys, e.g. "ankle-boot". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The detection task in words, e.g. "Detect the sneaker in the picture.". */
    public String prompt() {
        return "Detect the " + noun + " in the picture.";
    }
}
