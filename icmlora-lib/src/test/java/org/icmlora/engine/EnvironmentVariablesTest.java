package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class EnvironmentVariablesTest {

    private static final String ABSENT = "ICMLORA_TEST_VARIABLE_NOBODY_SETS";

    @Test
    void anAbsentVariableReadsUnsetAndAPresentOneItsTrimmedValue() {
        assumeTrue(System.getenv(ABSENT) == null);
        String path = System.getenv("PATH");
        assumeTrue(path != null && !path.isBlank());
        assertEquals("unset", EnvironmentVariables.valueOrUnset(ABSENT));
        assertEquals(path.trim(), EnvironmentVariables.valueOrUnset("PATH"));
        assertEquals("PATH=" + path.trim() + ", " + ABSENT + "=unset", EnvironmentVariables.describe("PATH", ABSENT));
    }
}
