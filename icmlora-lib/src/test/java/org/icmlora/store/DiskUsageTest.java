package org.icmlora.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUsageTest {

    @Test
    void sumsEveryFileOfATree(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.bin"), new byte[100]);
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.write(dir.resolve("sub/deeper/b.bin"), new byte[23]);
        assertEquals(123, DiskUsage.bytes(dir));
        assertEquals(100, DiskUsage.bytes(dir.resolve("a.bin")));
        assertEquals(0, DiskUsage.bytes(dir.resolve("absent")));
    }

    @Test
    void printsBinaryUnits() {
        assertEquals("512 B", DiskUsage.human(512));
        assertEquals("1.5 KiB", DiskUsage.human(1536));
        assertEquals("283.0 MiB", DiskUsage.human(283.0 * 1024 * 1024));
    }
}
