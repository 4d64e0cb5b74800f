package org.pekkogrid.workloads.grayscale;

import java.util.Optional;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * One image, bytes in and bytes out: check, decode, apply the op, encode. Paths mode, inline
 * mode and the sequential baseline all run this, so they write identical bytes.
 *
 * <p>Every Mat is released in a finally: they live in native memory, which the JVM's
 * collector neither sees nor feels pressure from.
 */
final class ImageKernel {

    /** JPEG quality of outputs; fixed so that every node writes the same bytes. */
    static final int JPEG_QUALITY = 95;

    private ImageKernel() {}

    /** An input that is not a whole, decodable image: an item failure, not a chunk failure. */
    static final class BadImage extends Exception {
        BadImage(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The encoded output and where the time went (decode and encode dominate for photos). */
    record Processed(byte[] bytes, long decodeNanos, long opNanos, long encodeNanos) {}

    /**
     * @param extension the lower-case extension whose format the output takes (the input's)
     */
    static Processed process(byte[] input, String extension, Op op) throws BadImage {
        OpenCv.load();
        Optional<String> incomplete = ImageFormat.incomplete(input);
        if (incomplete.isPresent()) throw new BadImage(incomplete.get());
        MatOfByte encodedIn = new MatOfByte(input);
        Mat image = null;  // imdecode allocates it
        Mat result = new Mat();
        MatOfByte encodedOut = new MatOfByte();
        MatOfInt writeParams = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY);
        try {
            long t0 = System.nanoTime();
            image = Imgcodecs.imdecode(encodedIn, Imgcodecs.IMREAD_COLOR);
            if (image.empty()) {
                throw new BadImage("not an image OpenCV can decode (" + input.length + " bytes, starting "
                    + ImageFormat.describeStart(input) + ")");
            }
            long t1 = System.nanoTime();
            op.apply(image, result);
            long t2 = System.nanoTime();
            if (!Imgcodecs.imencode("." + extension, result, encodedOut, writeParams)) {
                throw new BadImage("OpenCV cannot encode the result as ." + extension);
            }
            byte[] bytes = encodedOut.toArray();
            long t3 = System.nanoTime();
            return new Processed(bytes, t1 - t0, t2 - t1, t3 - t2);
        } catch (CvException e) {
            // An odd but decodable input (a channel layout an op rejects): that image fails, not the chunk.
            throw new BadImage("OpenCV failed on it: " + e.getMessage());
        } finally {
            encodedIn.release();
            if (image != null) image.release();
            result.release();
            encodedOut.release();
            writeParams.release();
        }
    }
}
