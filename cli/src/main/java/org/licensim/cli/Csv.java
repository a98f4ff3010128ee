package org.licensim.cli;

import java.io.PrintWriter;

/** RFC 4180 rows for the commands' {@code --format csv}: a field with a comma, quote or line break is quoted. */
final class Csv {
    private Csv() {
    }

    static void row(PrintWriter out, Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields[i] == null ? "" : fields[i].toString();
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        out.print(sb.append("\r\n"));
    }
}
