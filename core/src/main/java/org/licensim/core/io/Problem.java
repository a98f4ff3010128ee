package org.licensim.core.io;

/**
 * One thing wrong with an input file, located as precisely as the reader knows it.
 *
 * @param line   1-based, or 0 when unknown
 * @param column 1-based, or 0 when unknown
 * @param path   JSON path such as {@code $.users[3].id}, or null
 */
public record Problem(String file, int line, int column, String path, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        if (path != null) {
            sb.append(" ").append(path);
        }
        return sb.append(": ").append(message).toString();
    }
}
