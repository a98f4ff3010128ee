/**
 * JSON interchange (docs/FORMATS.md): the tenant snapshot, the JSON Lines event feed and the
 * resolved state. Readers stream with Jackson's parser and report bad input with file,
 * line, column, JSON path and the offending value. May use every other core package.
 */
package org.licensim.core.io;
