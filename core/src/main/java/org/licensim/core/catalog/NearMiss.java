package org.licensim.core.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the names a mistyped one is close to (ENTERPRISEPAK for ENTERPRISEPACK), by
 * Levenshtein distance ignoring case, for the messages that refuse an unknown product or command.
 */
public final class NearMiss {
    /** How far a name may be from the one typed to be suggested: two letters left out, added or changed. */
    public static final int MOST_EDITS = 2;

    private NearMiss() {
    }

    /** Up to {@code most} of {@code names} within {@link #MOST_EDITS} of {@code typed} (ignoring case), closest first. */
    public static List<String> among(String typed, Iterable<String> names, int most) {
        String t = typed.toLowerCase(Locale.ROOT);
        List<String> close = new ArrayList<>();
        List<Integer> edits = new ArrayList<>();
        for (String n : names) {
            // names far longer or shorter cannot be close: skip the distance
            if (Math.abs(n.length() - t.length()) <= MOST_EDITS) {
                int d = distance(t, n.toLowerCase(Locale.ROOT));
                if (d <= MOST_EDITS && d > 0) {
                    close.add(n);
                    edits.add(d);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < close.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(edits::get)); // stable: equal distances keep the names' order
        return order.stream().limit(most).map(close::get).toList();
    }

    /** " (did you mean A or B?)" for the names close to {@code typed}, else "". */
    public static String suffix(String typed, Iterable<String> names) {
        List<String> close = among(typed, names, 3);
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }

    /** The product part numbers of {@code catalog}, for {@link #among}. */
    public static List<String> partNumbers(Catalog catalog) {
        return catalog.products().stream().map(Product::skuPartNumber).toList();
    }

    /** Levenshtein distance: the letters to leave out, add or change to make one string the other. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
