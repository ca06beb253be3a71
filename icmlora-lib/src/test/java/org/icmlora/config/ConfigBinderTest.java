package org.icmlora.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraSettings;
import org.junit.jupiter.api.Test;

/** Settings text to configuration records: parsing, overrides, and errors that name the key and where it was set. */
class ConfigBinderTest {

    record Inner(int size, double rate) {}

    record Outer(String name, Inner inner, List<String> patterns, int[] widths, LoraConfig.Init init, boolean on,
            long big) {
        Outer {
            if (inner.size() < 1) {
                throw new IllegalArgumentException("size must be >= 1, got " + inner.size());
            }
        }
    }

    private static final String TEXT = """
            # a comment line
            x.name = small model   # a comment after a value
            x.inner.size = 3
            x.inner.rate = 2e-3
            x.patterns = blocks\\.\\d+\\.attn\\.(q|k){1,2}, head
            x.widths = 16, 32
            x.init = Kaiming-Uniform
            x.on = true
            x.big = 1_000_000
            """;

    @Test
    void bindsNestedRecordsListsArraysEnumsAndNumbers() {
        Settings settings = Settings.parse("test.conf", TEXT);
        Outer outer = ConfigBinder.bind(settings, "x", Outer.class);
        assertEquals("small model", outer.name());
        assertEquals(new Inner(3, 2e-3), outer.inner());
        assertEquals(List.of("blocks\\.\\d+\\.attn\\.(q|k){1,2}", "head"), outer.patterns(),
                "commas inside brackets do not split a list");
        assertArrayEquals(new int[] {16, 32}, outer.widths());
        assertEquals(LoraConfig.Init.KAIMING_UNIFORM, outer.init());
        assertTrue(outer.on());
        assertEquals(1_000_000L, outer.big());
        assertEquals(List.of(), settings.unread());
    }

    @Test
    void overridesChangeValuesAndAreRecorded() {
        Settings settings = Settings.parse("test.conf", TEXT).withAll(List.of("x.inner.size=5", "x.widths=8"), "--set");
        Outer outer = ConfigBinder.bind(settings, "x", Outer.class);
        assertEquals(5, outer.inner().size());
        assertArrayEquals(new int[] {8}, outer.widths());
        assertEquals(List.of("x.inner.size", "x.widths"), settings.overriddenKeys());
        assertEquals("5", settings.effective().get("x.inner.size"));
    }

    @Test
    void anUnknownOverrideListsTheValidKeysAndSuggestsTheClosest() {
        Settings settings = Settings.parse("test.conf", TEXT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.with("x.inner.sise", "4", "--set"));
        assertTrue(e.getMessage().startsWith("--set x.inner.sise=4: test.conf has no key 'x.inner.sise' (did you mean"
                + " x.inner.size?); valid keys: x.name, x.inner.size, x.inner.rate"), e.getMessage());
        assertTrue(e.getMessage().endsWith("x.big (every key: test.conf)"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndWhereItWasSet() {
        Settings settings = Settings.parse("test.conf", TEXT);
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class, () -> ConfigBinder.bind(
                settings.with("x.inner.size", "three", "--set"), "x", Outer.class));
        assertEquals("--set x.inner.size=three: x.inner.size = 'three': expected a whole number", number.getMessage());
        IllegalArgumentException constant = assertThrows(IllegalArgumentException.class, () -> ConfigBinder.bind(
                settings.with("x.init", "uniform", "--set"), "x", Outer.class));
        assertTrue(constant.getMessage().endsWith("expected one of [kaiming-uniform, gaussian]"),
                constant.getMessage());
        IllegalArgumentException rule = assertThrows(IllegalArgumentException.class, () -> ConfigBinder.bind(
                settings.with("x.inner.size", "0", "--set"), "x", Outer.class));
        assertTrue(rule.getMessage().startsWith("x: size must be >= 1, got 0 (settings from "), rule.getMessage());
        assertTrue(rule.getMessage().contains("--set x.inner.size=0"), rule.getMessage());
    }

    @Test
    void missingAndDuplicateKeysAreNamedWithTheirLine() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ConfigBinder.bind(
                Settings.parse("a.conf", "x.name = n\n"), "x", Outer.class));
        assertTrue(missing.getMessage().startsWith("a.conf has no key 'x.inner.size' (Inner.size)"),
                missing.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Settings.parse("a.conf", "x.name = n\n\nx.name = m\n"));
        assertEquals("a.conf:3: x.name is set twice (first at a.conf:1)", twice.getMessage());
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class,
                () -> Settings.parse("a.conf", "just words\n"));
        assertEquals("a.conf:1: expected 'key = value', got 'just words'", syntax.getMessage());
    }

    @Test
    void everyProfileFileBindsTheLibrarysSectionsAndTheProfilesShareTheirKeys() {
        Settings smoke = Profiles.settings("smoke");
        for (String name : List.of("quick", "full")) {
            Settings other = Profiles.settings(name);
            assertEquals(smoke.keys(), other.keys(), name + ".conf and smoke.conf must set the same keys");
            LoraSettings lora = ConfigBinder.bind(other, "lora", LoraSettings.class);
            assertEquals(List.of(1, 2, 4, 8), lora.ranks());
            PdiffConfig pdiff = ConfigBinder.bind(other, "pdiff", PdiffConfig.class);
            assertTrue(pdiff.denoiserChannels().length >= 2);
        }
        assertEquals(Map.of("lora.rank", "2"), Map.of("lora.rank", smoke.effective().get("lora.rank")));
    }
}
