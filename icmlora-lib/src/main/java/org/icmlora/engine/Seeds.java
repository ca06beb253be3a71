package org.icmlora.engine;

/**
 * The kit's one way to derive a seed: every random choice (a scene, a weight initialisation, the batch order of an
 * epoch, a generator's noise) takes its seed from the run seed and the names of what it is for, so changing the run
 * seed changes everything and nothing else does, and two things never share a random stream by accident.
 *
 * <p>{@code derive(base, parts...)} mixes each part into the base with SplitMix64's finaliser (a bijective avalanche
 * of 64 bits); a text part counts by its {@link String#hashCode()}, which the Java language fixes for all JVMs. The
 * result depends on the order of the parts.
 */
public final class Seeds {

    private Seeds() {}

    /** A seed for the item {@code parts} of the stream with seed {@code base}. */
    public static long derive(long base, long... parts) {
        long seed = mix(base);
        for (long part : parts) {
            seed = mix(seed ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return seed;
    }

    /** A seed for what {@code name} names (e.g. "detection-lora"), then the item {@code parts} of it. */
    public static long derive(long base, String name, long... parts) {
        return derive(derive(base, name.hashCode()), parts);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
