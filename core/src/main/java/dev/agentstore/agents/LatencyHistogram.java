package dev.agentstore.agents;

/**
 * The latency buckets of the run rollup, the same as the database function {@code agent_run_latency_bucket}
 * (V10): durations under 20 ms have a bucket each; above, bucket {@code b} holds
 * {@code [20 * 1.05^(b-20), 20 * 1.05^(b-19))} ms. A percentile read from such a histogram is within 5% of
 * the exact one.
 */
final class LatencyHistogram {

    private static final int EXACT_BELOW = 20;
    private static final double GROWTH = 1.05;

    private LatencyHistogram() {
    }

    /** The bucket of a duration in ms (as the database computes it). */
    static int bucket(long durationMs) {
        return durationMs < EXACT_BELOW ? (int) durationMs
                : EXACT_BELOW + (int) Math.floor(Math.log(durationMs / (double) EXACT_BELOW) / Math.log(GROWTH));
    }

    static double lower(int bucket) {
        return bucket < EXACT_BELOW ? bucket : EXACT_BELOW * Math.pow(GROWTH, bucket - EXACT_BELOW);
    }

    static double upper(int bucket) {
        return bucket < EXACT_BELOW ? bucket : EXACT_BELOW * Math.pow(GROWTH, bucket - EXACT_BELOW + 1);
    }

    /**
     * The continuous percentile (as {@code percentile_cont}) estimated from a histogram: the two order
     * statistics around rank {@code p * (n - 1)} are placed evenly within their buckets, then interpolated.
     *
     * @param pairs bucket, count, bucket, count, ... in ascending bucket order
     * @return the estimate in ms, or null for an empty histogram
     */
    static Double percentile(long[] pairs, double p) {
        long n = 0;
        for (int i = 1; i < pairs.length; i += 2) {
            n += pairs[i];
        }
        if (n == 0) {
            return null;
        }
        double rank = p * (n - 1);
        long below = (long) Math.floor(rank);
        double low = orderStatistic(pairs, below);
        double high = below + 1 < n ? orderStatistic(pairs, below + 1) : low;
        return low + (rank - below) * (high - low);
    }

    /** The k-th smallest value (0-based), placed evenly within its bucket. */
    private static double orderStatistic(long[] pairs, long k) {
        long cumulative = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            long count = pairs[i + 1];
            if (k < cumulative + count) {
                int bucket = (int) pairs[i];
                double lo = lower(bucket);
                double hi = upper(bucket);
                return lo + (hi - lo) * ((k - cumulative) + 0.5) / count;
            }
            cumulative += count;
        }
        return upper((int) pairs[pairs.length - 2]);
    }
}
