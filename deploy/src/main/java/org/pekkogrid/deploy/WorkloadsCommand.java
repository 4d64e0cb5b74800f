package org.pekkogrid.deploy;

import java.util.concurrent.Callable;
import org.pekkogrid.workloads.Params;
import org.pekkogrid.workloads.Workload;
import org.pekkogrid.workloads.Workloads;
import picocli.CommandLine.Command;

@Command(name = "workloads", mixinStandardHelpOptions = true, description = "List the workloads and their parameters.")
final class WorkloadsCommand implements Callable<Integer> {

    @picocli.CommandLine.Option(names = "--jar", paramLabel = "FILE",
        description = "List the workloads of this jar (as `grid submit --jar FILE` would run them) instead of the built-ins.")
    java.nio.file.Path jar;

    @Override
    public Integer call() {
        for (Workload<?, ?, ?, ?> w : jar == null ? Workloads.all() : org.pekkogrid.workloads.WorkloadJars.offeredBy(jar)) {
            System.out.println(w.name() + "  -  " + w.description());
            for (Params.Description p : Params.describe(w.paramsType())) {
                String dflt = p.defaultValue().isEmpty() ? "required" : "default " + p.defaultValue();
                System.out.printf("    --param %s=%s   %s (%s)%n", p.name(), p.type().toUpperCase(java.util.Locale.ROOT),
                    p.meaning(), dflt);
            }
        }
        return GridMain.COMPLETED;
    }
}
