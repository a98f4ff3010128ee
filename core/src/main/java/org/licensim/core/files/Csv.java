package org.licensim.core.files;

/** RFC 4180 fields for every CSV licensim writes: a field with a comma, quote or line break is quoted. */
public final class Csv {
    private Csv() {
    }

    /** {@code s} as one CSV field (null: empty). */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The fields as one CSV line, without its line end. */
    public static String line(Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(fields[i] == null ? null : fields[i].toString()));
        }
        return sb.toString();
    }
}
