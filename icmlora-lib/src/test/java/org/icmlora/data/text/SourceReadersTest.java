package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceReadersTest {

    @TempDir
    Path raw;

    @Test
    void brownTagsAreStrippedAndQuotesJoined() {
        String tagged = "\tThe/at jury/nn said/vbd ``/`` it/pps was/bedz fine/jj ''/'' ./.\n\n"
                + "\tHe/pps left/vbd (/( quickly/rb )/) ,/, too/rb ./.\n";
        assertEquals("The jury said \"it was fine\".\nHe left (quickly), too.\n", BrownCorpusReader.untag(tagged));
    }

    @Test
    void mailBodyLosesQuotesAttributionAndSignature() {
        String body = "Try mounting it read-only.\nOn Mon, Bob wrote:\n> my disk is broken\n> help\n"
                + "It works for me.\n-- \nAlice\n_______________________________________________\nILUG list";
        assertEquals("Try mounting it read-only.\nIt works for me.\n", MailingListReader.cleanBody(body));
        assertEquals("<ilug.linux.ie>", MailingListReader.header("From: a\nList-Id: <ilug.linux.ie>\nX: y", "list-id"));
    }

    @Test
    void dictdNumbersAreBase64Digits() {
        assertEquals(0, FoldocReader.base64Number("A"));
        assertEquals(63, FoldocReader.base64Number("/"));
        assertEquals(64 + 1, FoldocReader.base64Number("BB"));
        assertEquals(((6L * 64 + 27) * 64 + 61) * 64 + 11, FoldocReader.base64Number("Gb9L"));
    }

    @Test
    void cleaningRemovesLatexCommentsAndCollapsesBlankRuns() {
        String latex = "% a comment line\n\\section{A} % trailing\n50\\% of x\n\n\n\n\nend  \r\n";
        assertEquals("\\section{A}\n50\\% of x\n\nend",
                TextCleaning.normalize(TextCleaning.stripLatexComments(latex)));
    }

    @Test
    void rdataCharacterVectorsAreDecoded() throws Exception {
        byte[] chunk = serializedStrings(List.of("EMMA", "", "Chapter 1", "Emma Woodhouse, handsome, cléver"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            Deflater deflater = new Deflater();
            deflater.setInput(chunk);
            deflater.finish();
            byte[] buffer = new byte[4096];
            int n = deflater.deflate(buffer);
            new DataOutputStream(file).writeInt(chunk.length);
            file.write(buffer, 0, n);
        }
        List<List<String>> objects = RdataStrings.read(file.toByteArray(), "test.rdb");
        assertEquals(2, objects.size());
        assertEquals(List.of("EMMA", "", "Chapter 1", "Emma Woodhouse, handsome, cléver"), objects.get(1));
    }

    @Test
    void rdataRejectsOtherObjects() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("X\n");
        out.writeInt(2);
        out.writeInt(0x040201);
        out.writeInt(0x020300);
        out.writeInt(14); // REALSXP
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RdataStrings.strings(bytes.toByteArray(), "x.rdb"));
        assertTrue(e.getMessage().contains("type 14"), e.getMessage());
    }

    @Test
    void missingOrChangedSourcePackageIsAClearError() throws Exception {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RawPackage.open(raw, "fortunes", "fortunes", "1:1.99.1-7.3"));
        assertTrue(missing.getMessage().contains("setup-text.sh"), missing.getMessage());
        Files.createDirectories(raw.resolve("fortunes"));
        Files.writeString(raw.resolve("fortunes").resolve(RawPackage.SOURCE_FILE), "fortunes 1:2.0-1\n");
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> RawPackage.open(raw, "fortunes", "fortunes", "1:1.99.1-7.3"));
        assertTrue(changed.getMessage().contains("1:2.0-1") && changed.getMessage().contains("changed"),
                changed.getMessage());
    }

    @Test
    void fortunesAreGroupedWithoutSplittingEntries() throws Exception {
        Path dir = raw.resolve("fortunes");
        Files.createDirectories(dir.resolve("usr/share/games/fortunes"));
        Files.writeString(dir.resolve(RawPackage.SOURCE_FILE), "fortunes 1:1.99.1-7.3");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            text.append("<joe> line ").append(i).append("\n%\n");
        }
        for (String name : FortunesReader.FILES) {
            Files.writeString(dir.resolve("usr/share/games/fortunes").resolve(name), text.toString());
        }
        RawPackage fortunes = RawPackage.open(raw, "fortunes", "fortunes", "1:1.99.1-7.3");
        List<TextDocument> docs = FortunesReader.read(fortunes);
        assertEquals(6, docs.size());
        assertTrue(docs.get(1).text().startsWith("<joe> line 20\n\n<joe> line 21"), docs.get(1).text());
        assertEquals(3, fortunes.used().size());
        assertEquals(64, fortunes.used().get(0).sha256().length());
    }

    private static byte[] serializedStrings(List<String> values) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("X\n");
        out.writeInt(3);
        out.writeInt(0x040201);
        out.writeInt(0x030500);
        out.writeInt(5);
        out.writeBytes("UTF-8");
        out.writeInt(16);
        out.writeInt(values.size());
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.writeInt(0x00040009);
            out.writeInt(b.length);
            out.write(b);
        }
        return bytes.toByteArray();
    }
}
