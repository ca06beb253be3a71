package org.icmlora.experiments;

import java.util.List;

/** Every experiment of the kit, in the paper's order. */
public final class Experiments {

    private Experiments() {}

    /** All experiments, in the order the reproduce command runs them. */
    public static List<Experiment> all() {
        return List.of();
    }

    /** The experiment with this id, or an error that lists the valid ids. */
    public static Experiment byId(String id) {
        return all().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no experiment '" + id + "'; choose from "
                        + all().stream().map(Experiment::id).toList() + " or all"));
    }
}
