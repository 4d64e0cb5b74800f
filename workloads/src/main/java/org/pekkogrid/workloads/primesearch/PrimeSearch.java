package org.pekkogrid.workloads.primesearch;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.ItemLinesFile;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.Workload;

/**
 * Probable primes of a given size. The answer is defined item by item, so it is the same for
 * any chunking: item k's prime is the first probable prime at or above a seeded random
 * {@code bits}-bit start (a pure function of seed and k), wrapping round to 2^(bits-1) should
 * the search run past 2^bits - 1. Chunks are ranges of items; the head re-checks every prime
 * with {@code BigInteger.isProbablePrime(64)}.
 */
public final class PrimeSearch implements Workload<PrimeSearch.Params, PrimeSearch.Items, PrimeSearch.Found, PrimeSearch.Primes> {

    static final int MIN_BITS = 16;
    /** A 4096-bit prime is seconds of search on one core (2048 bits: ~0.3 s); beyond, one item outgrows a chunk. */
    static final int MAX_BITS = 4096;
    static final long MAX_COUNT = 10_000_000;
    /** Keeps a chunk's primes well inside Artery's frame for a batch of results. */
    static final long MAX_RESULT_BYTES = 128 * 1024;
    /** Certainty of the head's re-check (error below 2^-64 per prime). */
    static final int VERIFY_CERTAINTY = 64;

    /** The result lists the primes when they take at most this many bytes (bits / 8 each): 256 primes of 1024 bits. */
    static final long MAX_LISTED_BYTES = 32 * 1024;

    public record Params(
            @Param(value = "size of each prime, bits", defaultValue = "1024") int bits,
            @Param(value = "how many primes to find", defaultValue = "200") long count,
            @Param(value = "random seed of the starting points", defaultValue = "42") long seed,
            @Param(value = "a file the head writes the primes to, one per line in item order", optional = true) Path out) {
        public Params {
            if (bits < MIN_BITS || bits > MAX_BITS) {
                throw new IllegalArgumentException(
                    "bits must be between " + MIN_BITS + " and " + MAX_BITS + ", got " + bits);
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", got " + count);
            }
        }

        public Params(int bits, long count, long seed) {
            this(bits, count, seed, null);
        }

        /** Whether the result lists the primes: at most {@link #MAX_LISTED_BYTES} of them, kept in the fold's saved state. */
        boolean listed() {
            return count * (bits / 8) <= MAX_LISTED_BYTES;
        }
    }

    /** Items {@code [start, end)} of the job. */
    public record Items(int bits, long seed, long start, long end) {}

    /** The primes of items {@code first, first + 1, ...}. */
    public record Found(long first, BigInteger[] primes) {}

    /**
     * @param verified    primes of exactly {@code bits} bits that the head's re-check passed
     * @param failed      items whose prime failed that check
     * @param fingerprint a hash of every (item, prime) pair, folded in any order: equal
     *                    fingerprints mean the same primes for the same items
     * @param primes      the primes in item order, in decimal, when there are few enough to list
     *                    (see {@link #MAX_LISTED_BYTES}); else null
     * @param out         the file the head wrote them to (--param out), or null
     */
    public record Primes(int bits, long count, long verified, long failed, String fingerprint, List<String> primes,
                         String out) {}

    @Override
    public String name() {
        return "prime-search";
    }

    @Override
    public String description() {
        return "finds probable primes of a given size from seeded starting points, verified on the head; lists them (or writes them to out)";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Found> resultType() {
        return Found.class;
    }

    @Override
    public long defaultChunks(Params params) {
        return Math.min(params.count(), Math.max(256, minChunks(params)));
    }

    @Override
    public ChunkSource<Items> split(Params params, long chunks) {
        long least = minChunks(params);
        if (chunks < least) {
            throw new IllegalArgumentException("chunks (" + chunks + ") too few for " + params.count() + " primes of "
                + params.bits() + " bits: a chunk's result must stay under " + MAX_RESULT_BYTES / 1024
                + " KiB; use at least " + least + " chunks");
        }
        return Range.split(params.count(), chunks, "primes to find (count)")
            .map(r -> new Items(params.bits(), params.seed(), r.start(), r.end()));
    }

    /** The fewest chunks whose results stay under {@link #MAX_RESULT_BYTES}. */
    static long minChunks(Params params) {
        long perPrimeBytes = params.bits() / 8 + 16;
        long perChunk = Math.max(1, MAX_RESULT_BYTES / perPrimeBytes);
        return (params.count() + perChunk - 1) / perChunk;
    }

    @Override
    public Found run(Items items, ChunkContext ctx) {
        BigInteger[] primes = new BigInteger[Math.toIntExact(items.end() - items.start())];
        for (int i = 0; i < primes.length; i++) {
            primes[i] = PrimeFinder.primeAtOrAbove(PrimeFinder.start(items.seed(), items.start() + i, items.bits()),
                items.bits());
        }
        ctx.items(primes.length);
        return new Found(items.start(), primes);
    }

    /**
     * The fold's saved state: the counts and fingerprint of the primes folded so far, and, for a
     * job that lists its primes, those folded so far by item (null where not yet folded); an
     * empty array for a job that does not list them.
     */
    public record Checked(long verified, long failed, long fingerprint, BigInteger[] listed) {

        /** Re-checks a chunk's primes, each with {@code isProbablePrime(VERIFY_CERTAINTY)}. */
        Checked plus(Found found, int bits, ItemLinesFile file) {
            long verified = this.verified;
            long failed = this.failed;
            long fingerprint = this.fingerprint;
            BigInteger[] listed = this.listed.length == 0 ? this.listed : this.listed.clone();
            List<String> lines = file == null ? null : new ArrayList<>(found.primes().length);
            for (int i = 0; i < found.primes().length; i++) {
                BigInteger p = found.primes()[i];
                long item = found.first() + i;
                boolean ok = p != null && p.bitLength() == bits && p.isProbablePrime(VERIFY_CERTAINTY);
                if (ok) verified++; else failed++;
                if (p != null) fingerprint += PrimeFinder.hash(item, p);
                if (listed.length > 0 && ok) listed[Math.toIntExact(item)] = p;
                if (lines != null) lines.add(ok ? p.toString() : "# item " + item + ": " + p + " failed the check");
            }
            if (file != null) file.write(found.first(), lines);
            return new Checked(verified, failed, fingerprint, listed);
        }
    }

    @Override
    public Aggregator<Found, Primes> aggregator(Params params, long chunks) {
        return new PrimeFold(params, new Checked(0, 0, 0, params.listed() ? new BigInteger[(int) params.count()] : new BigInteger[0]));
    }

    @Override
    public Class<Checked> foldStateType() {
        return Checked.class;
    }

    @Override
    public Aggregator<Found, Primes> resumeAggregator(Params params, long chunks, Object state) {
        Checked checked = (Checked) state;
        if (checked.listed().length != (params.listed() ? params.count() : 0)) {
            throw new IllegalArgumentException("the saved state lists " + checked.listed().length
                + " primes, and this job of " + params.count() + " lists " + (params.listed() ? params.count() : 0));
        }
        return new PrimeFold(params, checked);
    }

    /** Folds chunks into {@link Checked}; with {@code out}, also writes their primes, and the file once all are in. */
    private static final class PrimeFold implements Aggregator<Found, Primes> {

        private final Params params;
        private final ItemLinesFile file;
        private Checked folded;
        private boolean joined;

        PrimeFold(Params params, Checked from) {
            this.params = params;
            this.folded = from;
            this.file = params.out() == null ? null : new ItemLinesFile(params.out(),
                "prime-search-" + params.bits() + "-" + params.seed(), params.count(),
                item -> PrimeFinder.primeAtOrAbove(PrimeFinder.start(params.seed(), item, params.bits()), params.bits())
                    .toString());
        }

        @Override
        public void add(long chunkIndex, Found result) {
            folded = folded.plus(result, params.bits(), file);
        }

        @Override
        public Primes result() {
            if (file != null && !joined && folded.verified() + folded.failed() == params.count()) {
                file.join();
                joined = true;
            }
            List<String> primes = null;
            if (folded.listed().length > 0) {
                primes = new ArrayList<>();
                for (BigInteger p : folded.listed()) if (p != null) primes.add(p.toString());
            }
            return new Primes(params.bits(), params.count(), folded.verified(), folded.failed(),
                String.format("%016x", folded.fingerprint()), primes, joined ? file.file().toString() : null);
        }

        @Override
        public Object state() {
            return folded;
        }
    }

    @Override
    public Params baselineParams(Params params, Path scratch) {
        return params.out() == null ? params
            : new Params(params.bits(), params.count(), params.seed(), scratch.resolve("primes.txt"));
    }

    @Override
    public Primes runSequential(Params params) {
        Aggregator<Found, Primes> head = aggregator(params, 1);
        // the same kernel in one pass; folded in blocks of a chunk's size only to bound memory
        long block = Math.max(1, (params.count() + minChunks(params) - 1) / minChunks(params));
        for (long start = 0, index = 0; start < params.count(); start += block, index++) {
            long end = Math.min(params.count(), start + block);
            head.add(index, run(new Items(params.bits(), params.seed(), start, end), ChunkContext.local(index)));
        }
        return head.result();
    }

    @Override
    public String summarize(Params params, Primes p) {
        String check = p.failed() == 0 ? "all verified" : p.failed() + " FAILED the check";
        String where = p.out() != null ? "; written to " + p.out()
            : p.primes() != null ? "; listed in the result"
            : "; too many to list in the result: --param out=FILE writes them";
        return String.format("%d probable primes of %d bits, %s by isProbablePrime(%d) on the head (fingerprint %s)%s",
            p.count(), p.bits(), check, VERIFY_CERTAINTY, p.fingerprint(), where);
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("bits", "512", "count", "20");
    }
}
