package org.pekkogrid.workloads;

import java.io.IOException;
import java.util.Arrays;
import org.pekkogrid.protocol.JarCommand;

/**
 * Serves the jars a node keeps piece by piece ({@link JarCommand.Get}): the head's jar store to
 * workers, and a worker's cache to a standby head that resumes a job whose jar it lacks. The jar
 * read last is kept for its next piece. Not thread-safe: one actor owns it.
 */
public final class JarPieces {

    private final WorkloadJars jars;
    private String servedSha;
    private byte[] servedBytes;

    public JarPieces(WorkloadJars jars) {
        this.jars = jars;
    }

    /** The piece {@code get} asks for, or a piece whose error says why there is none. */
    public JarCommand.Piece piece(JarCommand.Get get) {
        String sha = get.sha256();
        try {
            WorkloadJars.checkSha256(sha);
            if (!sha.equals(servedSha)) {
                if (!jars.has(sha)) {
                    return new JarCommand.Piece(sha, get.offset(), 0, null, "this node has no workload jar "
                        + WorkloadJars.shortName(sha));
                }
                servedBytes = jars.read(sha);
                servedSha = sha;
            }
        } catch (IllegalArgumentException | IOException e) {
            return new JarCommand.Piece(sha, get.offset(), 0, null, e.getMessage());
        }
        if (get.offset() < 0 || get.offset() > servedBytes.length) {
            return new JarCommand.Piece(sha, get.offset(), servedBytes.length, null,
                "no byte " + get.offset() + " in a jar of " + servedBytes.length);
        }
        int from = (int) get.offset();
        int to = Math.min(servedBytes.length, from + JarCommand.PIECE_BYTES);
        return new JarCommand.Piece(sha, from, servedBytes.length, Arrays.copyOfRange(servedBytes, from, to), null);
    }

    /** Whether {@code piece} is a jar's last. */
    public static boolean last(JarCommand.Piece piece) {
        return piece.error() == null && piece.offset() + piece.bytes().length == piece.sizeBytes();
    }
}
