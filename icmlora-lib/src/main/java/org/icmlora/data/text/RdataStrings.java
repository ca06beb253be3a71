package org.icmlora.data.text;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads character vectors out of an R lazy-load database ({@code Rdata.rdb}), as the janeaustenr package ships its
 * novels. The file is a run of chunks, each a 4-byte big-endian uncompressed length and a zlib stream. Each stream
 * is an R serialization (format "X", version 2 or 3) of one object; this reader accepts only a character vector
 * (STRSXP, type 16): an int count, then per element a CHARSXP header (type 9) with an int byte length (-1 for NA)
 * and the bytes. Anything else is reported as an unsupported object rather than guessed at.
 */
public final class RdataStrings {

    private static final int STRSXP = 16;
    private static final int CHARSXP = 9;

    private RdataStrings() {}

    /** Every chunk of {@code rdb} as a list of strings (NA elements become ""). */
    public static List<List<String>> read(byte[] rdb, String source) {
        List<List<String>> objects = new ArrayList<>();
        int offset = 0;
        while (offset < rdb.length) {
            if (offset + 4 > rdb.length) {
                throw new IllegalArgumentException(source + ": truncated chunk header at byte " + offset);
            }
            Inflater inflater = new Inflater();
            inflater.setInput(rdb, offset + 4, rdb.length - offset - 4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            try {
                while (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IllegalArgumentException(source + ": zlib stream at byte " + offset + " is truncated");
                    }
                    out.write(buffer, 0, n);
                }
            } catch (DataFormatException e) {
                throw new IllegalArgumentException(source + ": chunk at byte " + offset + " is not zlib data", e);
            }
            objects.add(strings(out.toByteArray(), source + " chunk at byte " + offset));
            offset += 4 + (int) inflater.getBytesRead();
            inflater.end();
        }
        return objects;
    }

    /** One serialized character vector. */
    static List<String> strings(byte[] serialized, String where) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            if (in.readUnsignedByte() != 'X' || in.readUnsignedByte() != '\n') {
                throw new IllegalArgumentException(where + ": not an R XDR serialization");
            }
            int version = in.readInt();
            in.readInt(); // R version that wrote it
            in.readInt(); // oldest R version that reads it
            if (version == 3) {
                in.skipBytes(in.readInt()); // native encoding name
            } else if (version != 2) {
                throw new IllegalArgumentException(where + ": R serialization version " + version + " is not supported");
            }
            int type = in.readInt() & 0xFF;
            if (type != STRSXP) {
                throw new IllegalArgumentException(where + ": object of R type " + type
                        + " is not a character vector (type 16)");
            }
            int count = in.readInt();
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int elementType = in.readInt() & 0xFF;
                if (elementType != CHARSXP) {
                    throw new IllegalArgumentException(where + ": element " + i + " has R type " + elementType);
                }
                int length = in.readInt();
                if (length < 0) {
                    values.add("");
                    continue;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                values.add(new String(bytes, StandardCharsets.UTF_8));
            }
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": truncated R serialization", e);
        }
    }
}
