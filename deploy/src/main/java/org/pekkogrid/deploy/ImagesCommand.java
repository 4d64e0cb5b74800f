package org.pekkogrid.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pekkogrid.workloads.grayscale.ImageGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "images", mixinStandardHelpOptions = true, description = "Test images for the grayscale workload.",
    subcommands = ImagesCommand.Generate.class)
final class ImagesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write photo-like JPEG and PNG images (every 10th a PNG), and --corrupt broken files "
            + "(truncated JPEG, empty, not an image, truncated PNG) spread among them.")
    static final class Generate implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created when missing).")
        Path out;

        @Option(names = "--count", required = true, paramLabel = "N", description = "Good images to write.")
        int count;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "1920x1080", description = "Image size (default 1920x1080).")
        String size;

        @Option(names = "--corrupt", paramLabel = "K", defaultValue = "0", description = "Broken files to add.")
        int corrupt;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed: the same seed writes the same files.")
        long seed;

        @Override
        public Integer call() throws Exception {
            String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
            int width;
            int height;
            try {
                if (wh.length != 2) throw new NumberFormatException();
                width = Integer.parseInt(wh[0].trim());
                height = Integer.parseInt(wh[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, such as 1920x1080; got \"" + size + "\"");
            }
            int total = count + corrupt;
            ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("images")
                .setInitialMax(Math.max(0, total)).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            try {
                ImageGenerator.Generated g = ImageGenerator.generate(out, count, width, height, corrupt, seed, written -> {
                    if (bar != null) bar.stepTo(written);
                });
                if (bar != null) bar.close();
                System.out.println("wrote " + g.images().size() + " images and " + g.corrupt().size() + " broken files to "
                    + out.toAbsolutePath());
            } finally {
                if (bar != null) bar.close();
            }
            return GridMain.COMPLETED;
        }
    }
}
