package org.pekkogrid.examples.mandelbrot;

/**
 * The job's answer.
 *
 * @param shadesCrc32 CRC-32 of every pixel's shade, row by row: equal for equal pictures
 * @param png         the file written, or null when the job gave no output
 * @param version     the example's version, so that two versions running side by side can be told apart
 */
public record Picture(int width, int height, long insidePixels, long iterations, long shadesCrc32, String png,
                      int version) {}
