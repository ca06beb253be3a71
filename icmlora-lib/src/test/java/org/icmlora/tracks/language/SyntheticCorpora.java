package org.icmlora.tracks.language;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.icmlora.data.text.PreparedCorpus;
import org.icmlora.data.text.TextDocument;

/** Small corpora with clearly different statistics, written as prepared corpora for the track's smoke tests. */
final class SyntheticCorpora {

    private static final String[] ENGLISH = {"the", "state", "of", "union", "people", "nation", "and", "is", "we",
        "will", "our", "year", "congress", "work", "for", "a", "new", "to", "in", "that"};
    private static final String[] LATEX = {"\\begin{equation}", "x^2", "\\frac{a}{b}", "\\end{equation}", "\\sum_{i}",
        "\\alpha", "\\label{eq}", "$", "\\cite{ref}", "\\section{Intro}"};
    private static final String[] CHAT = {"<joe>", "<ann>", "sudo", "apt-get", "install", "ls", "-la", "grep", "lol",
        "kernel", "panic", "reboot", "?", "ok"};

    private SyntheticCorpora() {}

    /** Writes {@code general}, {@code latex} and {@code chat} corpora of {@code documents} documents under {@code root}. */
    static void write(Path root, int documents) {
        write(root, "general", ENGLISH, documents, 1);
        write(root, "latex", LATEX, documents, 2);
        write(root, "chat", CHAT, documents, 3);
    }

    private static void write(Path root, String id, String[] words, int documents, long seed) {
        Random random = new Random(seed);
        List<TextDocument> docs = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 120; w++) {
                text.append(words[random.nextInt(words.length)]).append(w % 12 == 11 ? "\n" : " ");
            }
            docs.add(new TextDocument(id + "/doc-" + d, text.toString().strip()));
        }
        PreparedCorpus.write(root.resolve(id), id, "synthetic " + id, "test", List.of(), docs);
    }
}
