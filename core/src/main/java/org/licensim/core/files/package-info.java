/**
 * The ground floor for files: a file written whole or not at all
 * ({@link org.licensim.core.files.AtomicFile}), and directory trees licensim made itself
 * deleted whole ({@link org.licensim.core.files.Trees}). Uses the JDK only.
 */
package org.licensim.core.files;
