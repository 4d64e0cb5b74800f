package org.pekkogrid.bench;

import java.util.List;

/**
 * What an experiment found, in a few lines of markdown: for the overview of {@code grid bench
 * all} and for the command's output.
 */
record Findings(String experiment, String title, List<String> lines) {}
