package org.pekkogrid.workloads.grayscale;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The image files this workload takes, and a check for truncation that decoders miss: libjpeg
 * turns a cut-off JPEG into a full-size image (grey below the cut) with only a warning on
 * stderr, so a truncated input would silently become a damaged output.
 */
final class ImageFormat {

    /** Extensions listed as images; OpenCV writes each of them, so an output keeps its input's format. */
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "png", "bmp", "webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Length 0, type IEND, CRC: the last 12 bytes of every complete PNG. */
    private static final byte[] PNG_IEND =
        {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};

    private ImageFormat() {}

    /** The lower-case extension of a file name, or "" when it has none. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static boolean isImageName(String name) {
        return EXTENSIONS.contains(extension(name));
    }

    /**
     * Why these bytes are not a whole image, judged by their content (not their name: a PNG
     * named .jpg still decodes); empty when nothing is wrong that a decoder would hide.
     */
    static Optional<String> incomplete(byte[] b) {
        if (b.length == 0) return Optional.of("empty file (0 bytes)");
        if (startsWith(b, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) return jpegEnd(b);
        if (startsWith(b, PNG_SIGNATURE)) {
            return endsWith(b, PNG_IEND) ? Optional.empty()
                : Optional.of("truncated PNG: it does not end with the IEND chunk (" + b.length + " bytes)");
        }
        if (startsWith(b, (byte) 'B', (byte) 'M') && b.length >= 6) {
            long declared = le32(b, 2);  // 0 is allowed by some writers: then nothing to check
            return declared > b.length
                ? Optional.of("truncated BMP: " + b.length + " of the " + declared + " bytes its header declares")
                : Optional.empty();
        }
        if (b.length >= 12 && startsWith(b, (byte) 'R', (byte) 'I', (byte) 'F', (byte) 'F')
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            long declared = le32(b, 4) + 8;
            return declared > b.length
                ? Optional.of("truncated WebP: " + b.length + " of the " + declared + " bytes its header declares")
                : Optional.empty();
        }
        return Optional.empty();  // not a format we can check: the decoder decides
    }

    /** Some cameras pad a JPEG with zeros after its end-of-image marker; that is still complete. */
    private static Optional<String> jpegEnd(byte[] b) {
        int end = b.length;
        while (end > 2 && b[end - 1] == 0) end--;
        return b[end - 2] == (byte) 0xff && b[end - 1] == (byte) 0xd9 ? Optional.empty()
            : Optional.of("truncated JPEG: it does not end with the end-of-image marker FFD9 ("
                + b.length + " bytes)");
    }

    /** The first bytes as text when they are printable, else as hex: what a user recognises. */
    static String describeStart(byte[] b) {
        int n = Math.min(b.length, 16);
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            printable &= b[i] >= 0x20 && b[i] < 0x7f || b[i] == '\n' || b[i] == '\r' || b[i] == '\t';
        }
        if (printable) {
            return "\"" + new String(b, 0, n, StandardCharsets.US_ASCII)
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + (b.length > n ? "..." : "") + "\"";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(n, 8); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
        }
        return hex.toString();
    }

    private static boolean startsWith(byte[] b, byte... prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        if (b.length < suffix.length) return false;
        int offset = b.length - suffix.length;
        for (int i = 0; i < suffix.length; i++) if (b[offset + i] != suffix[i]) return false;
        return true;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
