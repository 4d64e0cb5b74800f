package org.pekkogrid.protocol;

import java.util.Optional;

/** The coordinator's answer to {@link CoordinatorCommand.GetJob}: the job, or empty when it knows no job by that id. */
public record JobLookup(String jobId, Optional<JobDetail> job) implements GridMessage {}
