package org.pekkogrid.bench;

import java.util.Map;
import org.pekkogrid.protocol.JobSpec;

/**
 * A workload at the size an experiment runs it, and a small size to warm up with.
 *
 * @param chunks 0 for the workload's own choice
 */
record WorkloadCase(String workload, Map<String, String> params, long chunks, Map<String, String> warmUpParams) {

    JobSpec spec() {
        return JobSpec.of(workload).withParams(params).withChunks(chunks);
    }

    JobSpec warmUpSpec() {
        return JobSpec.of(workload).withParams(warmUpParams);
    }

    /** The parameters in one cell: {@code terms=20000000000}; paths shortened to their file name. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equals("output") || e.getKey().equals("overwrite")) continue;
            if (b.length() > 0) b.append(' ');
            String value = e.getKey().equals("input") ? java.nio.file.Path.of(e.getValue()).getFileName().toString()
                : e.getValue();
            b.append(e.getKey()).append('=').append(value);
        }
        return b.toString();
    }
}
