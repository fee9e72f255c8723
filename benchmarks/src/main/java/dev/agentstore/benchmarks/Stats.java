package dev.agentstore.benchmarks;

import java.util.Arrays;

/** Latency samples in nanoseconds and the figures printed from them. */
final class Stats {

    private final long[] samples;
    private int n;

    Stats(int capacity) {
        samples = new long[capacity];
    }

    void add(long nanos) {
        samples[n++] = nanos;
    }

    int count() {
        return n;
    }

    /** The p-th percentile (0..100) in milliseconds, nearest rank. */
    double percentileMillis(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
    }

    double meanMillis() {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += samples[i];
        }
        return n == 0 ? Double.NaN : sum / 1e6 / n;
    }

    /** "p50 1.23 ms, p95 2.34 ms". */
    String summary() {
        return String.format("p50 %.3f ms, p95 %.3f ms, mean %.3f ms (n=%d)", percentileMillis(50), percentileMillis(95), meanMillis(), n);
    }
}
