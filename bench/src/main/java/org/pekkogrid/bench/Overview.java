package org.pekkogrid.bench;

import java.util.List;
import java.util.Locale;

/** {@code out/report.md} after {@code grid bench all}: each experiment's headline and a link to its report. */
final class Overview {

    private Overview() {}

    static void write(BenchOptions options, List<Findings> findings, double minutes) throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "pekko-grid benchmarks");
        md.paragraph(String.format(Locale.ROOT, "`grid bench all%s --repeat %d` took %.1f minutes. Each experiment's "
            + "report gives its method, every figure with its spread, and its plots.",
            options.quick() ? " --quick" : "", options.repeat(), minutes));
        for (Findings f : findings) {
            md.heading(2, "[" + f.title() + "](" + f.experiment() + "/report.md)");
            md.bullets(f.lines().stream().filter(l -> !l.isBlank()).toList());
        }
        md.heading(2, "Machine");
        md.append(Machine.current().markdown());
        md.write(options.out().resolve("report.md"));
    }
}
