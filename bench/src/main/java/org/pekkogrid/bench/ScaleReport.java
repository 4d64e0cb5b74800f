package org.pekkogrid.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** The scale experiment's summary.csv, its plot (scale.png) and report.md. */
final class ScaleReport {

    static final double TARGET_UTILISATION = 0.95;

    private ScaleReport() {}

    static void write(BenchContext context, List<ScaleSize> sizes, int chunksPerSlot, int hostJvms) throws Exception {
        Path dir = context.dir();
        try (CsvFile csv = CsvFile.create(dir.resolve("summary.csv"), "slots", "nodes", "runs", "slots_used_median",
                "slots_used_min", "utilisation_median",
                "utilisation_min", "utilisation_max", "head_cpu_us_per_chunk_median", "head_cpu_us_per_chunk_min",
                "head_cpu_us_per_chunk_max", "hosts_cpu_us_per_chunk_median", "head_cores_median", "hosts_cores_median", "chunks_per_s_median", "first_dispatch_to_every_slot_ms_median",
                "every_slot_seen", "join_steps", "convergence_ms", "slots_registered_ms", "join_ms")) {
            for (ScaleSize s : sizes) {
                csv.row(s.slots(), s.nodes(), s.runs().size(), s.slotsUsed().median(), s.slotsUsed().min(),
                    s.utilisation().median(), s.utilisation().min(),
                    s.utilisation().max(), s.headCpuMicrosPerChunk().median(), s.headCpuMicrosPerChunk().min(),
                    s.headCpuMicrosPerChunk().max(), s.hostsCpuMicrosPerChunk().median(), s.headCores().median(), s.hostsCores().median(),
                    s.chunksPerSecond().median(), s.firstDispatchAllMillis().median(),
                    s.everySlotSeen(), s.join().steps(), s.join().convergenceMillis(), s.join().slotsMillis(), s.join().joinMillis());
            }
        }
        plot(sizes, dir.resolve("scale.png"));

        Markdown md = new Markdown();
        md.heading(1, "A head for many slots: " + sizes.get(0).slots() + " to " + sizes.get(sizes.size() - 1).slots()
            + " simulated slots");
        md.paragraph("One head JVM and simulated worker nodes: light actor systems, each a real cluster member on its "
            + "own loopback port with up to " + SimulatedCluster.SLOTS_PER_NODE + " slots, " + hostJvms + " host JVM"
            + (hostJvms == 1 ? "" : "s") + " holding them all. Their chunks sleep " + ScaleExperiment.CHUNK_MILLIS
            + " ms (`sleep millis=" + ScaleExperiment.CHUNK_MILLIS + "`) and cost no CPU, so a 2-core machine can "
            + "offer a thousand slots and the head is the only thing measured. Each job has " + chunksPerSlot
            + " chunks per slot (" + Figures.seconds(chunksPerSlot * ScaleExperiment.CHUNK_MILLIS) + " s of work per "
            + "slot).");
        md.paragraph("**" + sentence(sizes) + "**");
        md.table(List.of("slots", "nodes", "slots that ran chunks", "utilisation", "head CPU per chunk, µs", "head CPU, cores",
                "nodes' CPU, cores", "chunks/s",
                "first chunk on every slot, ms", "gossip convergence, ms", "all slots registered, ms"),
            rows(sizes));
        md.image("utilisation and head CPU per chunk against slots", "scale.png");
        md.heading(2, "What the columns are");
        md.bullets(List.of(
            "**slots that ran chunks**: of the slots the head counted, those that ran at least one chunk of the "
                + "job (the report's nodes). A slot with none was idle for the whole job.",
            "**utilisation**: the sum of every slot's busy time (from the job report's nodes) / (slots × makespan). "
                + "Makespan is the head's: job accepted to last result folded, so the ramp-up and the tail count.",
            "**head CPU per chunk**: CPU time (user + system) of the head's process from just before the job was "
                + "submitted to its report having arrived at the client, / chunks. It includes everything the head "
                + "did meanwhile: gossip and heartbeats with every node, and building and sending the report (its "
                + "chunk rows are capped at " + Figures.count(ScaleExperiment.CHUNK_ROWS) + " at every size). The OS "
                + "counts it in 10 ms ticks.",
            "**head CPU, cores**: the head's CPU time / makespan: the cores it kept busy on average. **nodes' CPU, "
                + "cores**: the same for the host JVMs of all the simulated nodes (their CPU per chunk is in "
                + "`summary.csv`): on this machine they share its " + context.machine().cores() + " cores with the "
                + "head, where each node of a real cluster has its own.",
            "**chunks/s**: chunks / makespan, from the report; at most slots × " + (1000 / ScaleExperiment.CHUNK_MILLIS)
                + " (a sleep of " + ScaleExperiment.CHUNK_MILLIS + " ms takes a little longer).",
            "**first chunk on every slot**: the latest of the slots' first dispatch times (from the job's start), "
                + "from the report's chunk rows." + (sizes.stream().allMatch(ScaleSize::everySlotSeen) ? ""
                : " Marked ≥ where some slot ran no chunk, or none among the rows kept: then it is a lower bound over the "
                + "slots that did."),
            "**gossip convergence**: measured as the cluster grew to the size, in steps of at most "
                + ClusterJoin.NODES_PER_STEP + " nodes (median over the steps): from the moment the step's last new "
                + "node's actor system had started (and began to join) to the head's cluster view listing every "
                + "worker node Up. The leader moves a joining member to Up only once all members have seen it, so "
                + "this is the cluster's own convergence as the head sees it (polled every "
                + ClusterJoin.POLL.toMillis() + " ms). **all slots registered**: from the same moment to the head "
                + "counting every slot, i.e. ready for work."));
        md.heading(2, "Method");
        md.paragraph(context.method("`grid head --port 0 " + String.join(" ", ScaleExperiment.HEAD_ARGS)
            + "` and host JVMs of simulated nodes (`org.pekkogrid.deploy.SimulatedNodes`), all started by the bench "
            + "on this machine; the bench JVM connects as a client"));
        md.bullets(List.of(
            "Sizes grow in one cluster: a node of 8 slots first, then nodes of " + SimulatedCluster.SLOTS_PER_NODE
                + " (and one of 8 to make 64), spread round-robin over the host JVMs.",
            "Per size, one warm-up job of the measured size, not counted.",
            "The simulated cluster's JVMs run with " + String.join(" ", ScaleExperiment.SIMULATION_JVM_OPTIONS)
                + ": dozens of nodes share two cores here, and with the defaults a node's heartbeats delayed by "
                + "seconds got the whole cluster downed while it grew. Dispatching is untouched by these.",
            "Every slot's chunks sleep, so the only CPU work is the grid's: the head's dispatching and folding, and "
                + "the nodes' remoting and cluster traffic, which share this machine's cores with the head.",
            "Grid settings given with --grid-setting: " + context.options().describeGridSettings() + ".",
            "The nodes' logs are in `logs/`; every run is in `runs.csv`, medians in `summary.csv`."));
        md.heading(2, "Machine");
        md.paragraph("All the JVMs (head, hosts of the simulated nodes, bench) shared this machine, which other work "
            + "may have shared too (see the load average).");
        md.append(context.machine().markdown());
        md.write(dir.resolve("report.md"));
    }

    private static List<List<String>> rows(List<ScaleSize> sizes) {
        List<List<String>> rows = new ArrayList<>();
        for (ScaleSize s : sizes) {
            rows.add(List.of(Figures.count(s.slots()), String.valueOf(s.nodes()),
                Figures.spread(s.slotsUsed(), v -> Figures.count((long) v)),
                Figures.spread(s.utilisation(), Figures::percent),
                Figures.spread(s.headCpuMicrosPerChunk(), Figures::amount),
                Figures.ratio(s.headCores().median()),
                Figures.ratio(s.hostsCores().median()),
                Figures.spread(s.chunksPerSecond(), Figures::amount),
                (s.everySlotSeen() ? "" : "≥ ") + Figures.spread(s.firstDispatchAllMillis(), Figures::millis),
                Figures.millis(s.join().convergenceMillis()), Figures.millis(s.join().slotsMillis())));
        }
        return rows;
    }

    /** The headline: the largest size against the target and the smallest. */
    static String sentence(List<ScaleSize> sizes) {
        ScaleSize first = sizes.get(0);
        ScaleSize last = sizes.get(sizes.size() - 1);
        double u = last.utilisation().median();
        return String.format(Locale.ROOT, "At %s slots (%d nodes): utilisation %s (target %s: %s), head CPU %s µs per "
                + "chunk against %s µs at %s slots, %s chunks/s.", Figures.count(last.slots()), last.nodes(),
            Figures.percent(u), Figures.percent(TARGET_UTILISATION), u >= TARGET_UTILISATION ? "met" : "missed",
            Figures.amount(last.headCpuMicrosPerChunk().median()), Figures.amount(first.headCpuMicrosPerChunk().median()),
            Figures.count(first.slots()), Figures.amount(last.chunksPerSecond().median()));
    }

    private static void plot(List<ScaleSize> sizes, Path file) throws Exception {
        double[] x = sizes.stream().mapToDouble(ScaleSize::slots).toArray();
        XYChart chart = Charts.lines("Utilisation and head CPU per chunk against slots", "slots (log scale)",
            "utilisation, %");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, 100.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        Charts.medianWithSpread(chart, "utilisation", x,
            sizes.stream().map(s -> scaled(s.utilisation(), 100)).toList(), Charts.color(0));
        Charts.guide(chart, "target " + Figures.percent(TARGET_UTILISATION), x,
            sizes.stream().mapToDouble(s -> 100 * TARGET_UTILISATION).toArray(), java.awt.Color.GRAY);
        XYSeries cpu = chart.addSeries("head CPU per chunk, µs (median, right axis)", x,
            sizes.stream().mapToDouble(s -> s.headCpuMicrosPerChunk().median()).toArray());
        cpu.setYAxisGroup(1);
        cpu.setLineColor(Charts.color(1));
        cpu.setMarkerColor(Charts.color(1));
        chart.setYAxisGroupTitle(1, "head CPU per chunk, µs");
        Charts.save(chart, file);
    }

    private static Spread scaled(Spread s, double factor) {
        return new Spread(s.median() * factor, s.min() * factor, s.max() * factor, s.p25() * factor,
            s.p75() * factor, s.count());
    }
}
