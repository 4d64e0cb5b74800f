package org.pekkogrid.examples.mandelbrot;

/**
 * One chunk's result: the shades of rows {@code firstRow .. firstRow + rows - 1}, one byte per
 * pixel (0 inside the set), with what the answer counts.
 */
public record Band(int firstRow, int rows, long insidePixels, long iterations, byte[] shades) {}
