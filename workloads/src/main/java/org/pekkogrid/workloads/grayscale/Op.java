package org.pekkogrid.workloads.grayscale;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** What the workload does to each image. */
public enum Op {

    /** Luma, one channel. */
    GRAY {
        @Override
        void apply(Mat bgr, Mat out) {
            Imgproc.cvtColor(bgr, out, Imgproc.COLOR_BGR2GRAY);
        }
    },

    /** A 9x9 Gaussian blur of the colour image. */
    BLUR {
        @Override
        void apply(Mat bgr, Mat out) {
            Imgproc.GaussianBlur(bgr, out, new Size(9, 9), 0);
        }
    },

    /** Canny edges of the lightly smoothed luma: white edges on black, one channel. */
    EDGES {
        @Override
        void apply(Mat bgr, Mat out) {
            Mat gray = new Mat();
            try {
                Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
                Imgproc.GaussianBlur(gray, gray, new Size(5, 5), 0);
                Imgproc.Canny(gray, out, 50, 150);
            } finally {
                gray.release();
            }
        }
    };

    /** Writes the result for a decoded 8-bit BGR image into {@code out}; allocates no Mat it does not release. */
    abstract void apply(Mat bgr, Mat out);
}
