package org.icmlora.tracks;

/**
 * One task of a track: a detection category or a text domain.
 *
 * @param id          the kit's name for it (file names, keys, table rows), e.g. "sneaker" or "arxiv"
 * @param description what the task is, in words: the text task vector is its sentence embedding
 */
public record Task(String id, String description) {

    public Task {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a task id is lower-case words joined by '-', got '" + id + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("task " + id + " needs a description");
        }
    }
}
