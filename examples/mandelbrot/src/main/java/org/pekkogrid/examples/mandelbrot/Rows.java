package org.pekkogrid.examples.mandelbrot;

/**
 * One chunk: a band of rows of the picture. It carries the view too: a worker runs a chunk with
 * nothing but the chunk, which it derives from its index with {@code split} of the job's parameters.
 */
public record Rows(View view, int first, int count) {}
