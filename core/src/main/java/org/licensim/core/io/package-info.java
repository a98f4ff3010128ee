/**
 * JSON interchange (docs/FORMATS.md): the tenant snapshot, the JSON Lines event feed and the
 * resolved state. Readers stream with Jackson's parser and report bad input with file,
 * line, column, JSON path and the offending value; writers go through
 * {@link org.licensim.core.files.AtomicFile}. Uses engine (to write its state), state, event,
 * directory, catalog, files.
 */
package org.licensim.core.io;
