package org.icmlora.lora;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders layer names the way a person reads them: digit runs compare as numbers, so {@code blocks.2.q} comes before
 * {@code blocks.10.q}, and everything else compares as text. It never depends on hash or file order, so the flat
 * adapter vector has the same layout on every machine.
 */
public final class LayerNameOrder implements Comparator<String> {

    /** The one instance. */
    public static final LayerNameOrder INSTANCE = new LayerNameOrder();

    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

    private LayerNameOrder() {}

    @Override
    public int compare(String left, String right) {
        Matcher a = CHUNK.matcher(left);
        Matcher b = CHUNK.matcher(right);
        while (a.find() && b.find()) {
            String x = a.group();
            String y = b.group();
            boolean bothNumbers = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0));
            int order = bothNumbers ? compareNumbers(x, y) : x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length(), right.length()) != 0 ? Integer.compare(left.length(), right.length())
                : left.compareTo(right);
    }

    private static int compareNumbers(String x, String y) {
        String a = x.replaceFirst("^0+(?=.)", "");
        String b = y.replaceFirst("^0+(?=.)", "");
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
