package org.icmlora.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds the kit's configuration records from {@link Settings}: the component {@code depth} of the record bound at
 * section {@code cvae} is the key {@code cvae.depth}; a component that is itself a record is a sub-section
 * ({@code detection.scenes.size}). Values are parsed by the component's type: whole and decimal numbers, booleans,
 * text, enum constants (case and {@code -}/{@code _}/space ignored, so {@code merged-deltas} is MERGED_DELTAS), and
 * comma-separated lists or {@code int[]} of those. The record's own constructor then checks the values, and its error
 * is reported with the keys' sources.
 */
public final class ConfigBinder {

    private ConfigBinder() {}

    /** The record of type {@code type} from the keys under {@code section} of {@code settings}. */
    public static <R extends Record> R bind(Settings settings, String section, Class<R> type) {
        return bind(settings, section, type, new ArrayList<>());
    }

    /** Binds as above and adds where each value came from to {@code sources} (nested records' values too). */
    private static <R extends Record> R bind(Settings settings, String section, Class<R> type, List<String> sources) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        List<String> own = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            String key = section.isEmpty() ? components[i].getName() : section + "." + components[i].getName();
            Class<?> componentType = components[i].getType();
            if (componentType.isRecord()) {
                arguments[i] = bind(settings, key, componentType.asSubclass(Record.class), own);
            } else {
                Settings.Value value = settings.value(key, type.getSimpleName() + "." + components[i].getName());
                own.add(value.source());
                arguments[i] = parse(value, key, componentType, components[i].getGenericType());
            }
        }
        sources.addAll(own);
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(Arrays.stream(components)
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(section + ": " + e.getCause().getMessage() + " (settings from "
                    + String.join(", ", own.stream().distinct().toList()) + ")", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + " from settings", e);
        }
    }

    private static Object parse(Settings.Value value, String key, Class<?> type, Type generic) {
        String text = value.text();
        try {
            if (type == List.class) {
                Class<?> element = (Class<?>) ((ParameterizedType) generic).getActualTypeArguments()[0];
                return splitList(text).stream().map(item -> scalar(item, element)).toList();
            }
            if (type == int[].class) {
                return splitList(text).stream().mapToInt(item -> (Integer) scalar(item, Integer.class)).toArray();
            }
            return scalar(text, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(value.source() + ": " + key + " = '" + text + "': " + e.getMessage(),
                    e);
        }
    }

    private static Object scalar(String text, Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return parseNumber(text, "a whole number", () -> Integer.parseInt(text.replace("_", "")));
        }
        if (type == long.class || type == Long.class) {
            return parseNumber(text, "a whole number", () -> Long.parseLong(text.replace("_", "")));
        }
        if (type == float.class || type == Float.class) {
            return parseNumber(text, "a number", () -> Float.parseFloat(text.replace("_", "")));
        }
        if (type == double.class || type == Double.class) {
            return parseNumber(text, "a number", () -> Double.parseDouble(text.replace("_", "")));
        }
        if (type == boolean.class || type == Boolean.class) {
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
            return Boolean.parseBoolean(text);
        }
        if (type == String.class) {
            return text;
        }
        if (type.isEnum()) {
            return enumConstant(text, type);
        }
        throw new IllegalStateException("the configuration binder cannot read values of type " + type.getName());
    }

    private interface NumberParser {
        Object parse();
    }

    private static Object parseNumber(String text, String what, NumberParser parser) {
        try {
            return parser.parse();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + what);
        }
    }

    private static Object enumConstant(String text, Class<?> type) {
        String wanted = normalise(text);
        for (Object constant : type.getEnumConstants()) {
            if (normalise(((Enum<?>) constant).name()).equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
    }

    /** Splits on commas outside brackets, so a regular expression such as {@code (q|k){1,2}} stays whole. */
    static List<String> splitList(String text) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = text.substring(start).strip();
        if (!last.isEmpty() || !items.isEmpty()) {
            items.add(last);
        }
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a list item is empty");
        }
        return items;
    }
}
