/**
 * The API a workload is written against: everything a jar shipped with {@code grid submit --jar}
 * may use of the grid. A workload's class loader sees these types and the JDK, nothing else, so
 * a workload jar carries its own libraries (shaded) or uses none.
 *
 * <h2>Writing a workload</h2>
 * <ol>
 *   <li>A {@code record} of parameters, each component annotated with {@link org.pekkogrid.workloads.Param}
 *       (its meaning and default). Allowed component types are those {@link org.pekkogrid.workloads.Params}
 *       binds: {@code int}, {@code long}, {@code double}, {@code boolean}, their boxes, {@code String},
 *       {@code Duration}, {@code Path} and enums. Check ranges
 *       in the record's compact constructor: an {@link IllegalArgumentException} there is the
 *       message the user sees at submit.</li>
 *   <li>A class implementing {@link org.pekkogrid.workloads.Workload} with a public no-argument
 *       constructor: {@code split} describes chunk {@code i} from its index (a
 *       {@link org.pekkogrid.workloads.Range}, say: every chunk carries what it needs, the worker
 *       gets nothing else), {@code run} computes one chunk on a worker, {@code aggregator} folds
 *       the chunk results on the head, {@code runSequential} is the single-thread baseline
 *       ({@code --baseline}).</li>
 *   <li>Chunk results and answers are records or plain values: they travel as CBOR and end as JSON.</li>
 *   <li>The class named, one per line, in {@code META-INF/services/org.pekkogrid.workloads.Workload}.</li>
 * </ol>
 * Build the jar against {@code org.pekkogrid:grid-api} (scope {@code provided}) and run it with
 * {@code grid submit --seed HOST:PORT --jar my-workloads.jar NAME --param k=v}: the head checks the
 * jar, the workload and the parameters before it accepts the job, and each worker fetches the jar
 * once and keeps it by its SHA-256. {@code examples/mandelbrot} is a complete project.
 */
package org.pekkogrid.workloads;
