package org.licensim.cli;

import java.io.PrintWriter;

/** RFC 4180 rows for the commands' {@code --format csv}: a field with a comma, quote or line break is quoted. */
final class Csv {
    private Csv() {
    }

    static void row(PrintWriter out, Object... fields) {
        out.print(org.licensim.core.files.Csv.line(fields) + "\r\n");
    }
}
