package org.licensim.cli;

/** How a command prints its results ({@code --format}): for people, for spreadsheets, for programs. */
enum Format {
    /** Aligned text with names people read (the default). */
    table,
    /** RFC 4180 rows with a header row, ids beside names; columns documented with each command. */
    csv,
    /** One JSON document. */
    json
}
