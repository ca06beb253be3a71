package org.icmlora.eval;

import org.icmlora.data.scenes.Box;

/** A detection: a box and the detector's confidence in it (higher ranks first). */
public record ScoredBox(Box box, double score) {

    public ScoredBox {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("a detection needs a finite score, got " + score);
        }
    }
}
