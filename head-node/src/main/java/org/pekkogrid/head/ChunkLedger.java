package org.pekkogrid.head;

import java.util.Arrays;

/**
 * Which chunks of a job are done, so that each chunk's result is folded exactly once.
 *
 * <p>Memory follows the chunks in flight, not the job's size: every chunk below
 * {@code base} is done, and a bit set covers the window above it. Chunks are dispatched
 * roughly in order, so the window stays near the number of chunks in flight.
 */
public final class ChunkLedger {

    private final long total;
    private long base;            // every chunk below this is done
    private long[] words = new long[16];
    private int firstWord;        // words[firstWord] holds chunks base .. base+63
    private long done;

    /**
     * What a ledger holds, to save and restore: every chunk below {@code base} is done, and bit
     * {@code i % 64} of {@code words[i / 64]} says whether chunk {@code base + i} is.
     */
    public record Saved(long base, long[] words) {}

    ChunkLedger(long total) {
        this.total = total;
    }

    /** A ledger as {@link #save} left it. */
    ChunkLedger(long total, Saved saved) {
        this.total = total;
        if (saved.base() < 0 || saved.base() > total) {
            throw new IllegalArgumentException("a saved ledger's base " + saved.base() + " lies outside 0.." + total);
        }
        this.base = saved.base();
        this.done = saved.base();
        int n = saved.words().length;
        this.words = new long[Math.max(16, Integer.highestOneBit(Math.max(1, n)) << 1)];
        for (int i = 0; i < n; i++) {
            words[i] = saved.words()[i];
            done += Long.bitCount(saved.words()[i]);
        }
        if (done > total) throw new IllegalArgumentException("a saved ledger holds " + done + " chunks of " + total);
    }

    Saved save() {
        int last = words.length - 1;
        while (last >= firstWord && words[last] == 0) last--;
        return new Saved(base, Arrays.copyOfRange(words, firstWord, last + 1));
    }

    /** First chunk at or above which nothing is done: chunks from here on were never folded. */
    long frontier() {
        Saved saved = save();
        long[] w = saved.words();
        if (w.length == 0) return base;
        long top = w[w.length - 1];
        return base + 64L * (w.length - 1) + (64 - Long.numberOfLeadingZeros(top));
    }

    /** Marks a chunk done; false when it already was (a duplicate result). */
    boolean markDone(long chunk) {
        if (chunk < base) return false;
        long offset = chunk - base;
        int word = firstWord + (int) (offset >>> 6);
        if (word >= words.length) {
            compactOrGrow(word - firstWord + 1);
            word = firstWord + (int) (offset >>> 6);
        }
        long bit = 1L << (offset & 63);
        if ((words[word] & bit) != 0) return false;
        words[word] |= bit;
        done++;
        while (words[firstWord] == -1L) {
            words[firstWord] = 0;
            firstWord++;
            base += 64;
            if (firstWord == words.length) {
                firstWord = 0;
                break;
            }
        }
        return true;
    }

    boolean isDone(long chunk) {
        if (chunk < base) return true;
        long offset = chunk - base;
        int word = firstWord + (int) (offset >>> 6);
        return word < words.length && (words[word] & (1L << (offset & 63))) != 0;
    }

    long done() {
        return done;
    }

    boolean complete() {
        return done == total;
    }

    /** Words held; for tests of the memory bound. */
    int windowWords() {
        return words.length;
    }

    private void compactOrGrow(int wordsNeeded) {
        int live = words.length - firstWord;
        if (firstWord > 0 && wordsNeeded <= words.length) {
            System.arraycopy(words, firstWord, words, 0, live);
            Arrays.fill(words, live, words.length, 0);
        } else {
            int capacity = words.length;
            while (capacity < wordsNeeded) capacity *= 2;
            long[] bigger = new long[capacity];
            System.arraycopy(words, firstWord, bigger, 0, live);
            words = bigger;
        }
        firstWord = 0;
    }
}
